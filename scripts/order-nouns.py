#!/usr/bin/env python3
"""Counts the order nouns in generic modules' code (issue 29: a generic library knows nothing of orders; roles come
from the wiring). A code line counts when, outside comments and string literals' doc text, it names an order
(`order`, `orders`, `Order...`, `...Order...` as a word part); the blueprint, OrderDomain, OrderHandlers and the
executables built for this repository's stack (`orderstack`, the handlers) may.

    python3 scripts/order-nouns.py [--list]

Files of data imported from AWS (`*+Data.swift`: IAM's action catalogue names `purchase-orders:...`) are not read.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALLOWED = {"OrderDomain", "OrderHandlers", "order-processor", "order-query", "orderstack"}
NOUN = re.compile(r"order", re.IGNORECASE)
# The product's name (`orderstack`, `OrderStack`), "in order to", "ordered", "ordering", "reorder", "recorder" are not
# the noun; nor is a former profile key read for compatibility (`formerly: "orders_per_month"`).
NOT_NOUN = re.compile(
    r"orderstack|in order to|order(ed|ing)\b|reorder|recorder|sortOrder|byteOrder|ordered|\border of\b"
    r"|formerly: \"[a-z_]+\"",
    re.IGNORECASE,
)
# Data imported from AWS (IAM's action names, `purchase-orders:...`), not vocabulary of the code.
IMPORTED_DATA = re.compile(r"\+Data\.swift$")
# `init` names its templates, one of which is this repository's orders stack (`--template orders`): the name of a
# template the user picks, not vocabulary of a generic module.
SCAFFOLD = re.compile(r"(^|/)(Init/[^/]+|Commands/Init)\.swift$")


def code_lines(path):
    """The file's lines without `//` comments (a doc comment is prose, not vocabulary of the API)."""
    for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        yield number, line.split(" //")[0]


def main():
    listing = "--list" in sys.argv
    total, files, per_module = 0, set(), {}
    for module in sorted((ROOT / "Sources").iterdir()):
        if not module.is_dir() or module.name in ALLOWED:
            continue
        for path in sorted(module.rglob("*.swift")):
            if IMPORTED_DATA.search(path.name) or SCAFFOLD.search(str(path)):
                continue
            for number, line in code_lines(path):
                if NOUN.search(NOT_NOUN.sub("", line)):
                    total += 1
                    files.add(path)
                    per_module[module.name] = per_module.get(module.name, 0) + 1
                    if listing:
                        print(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    for module, count in sorted(per_module.items(), key=lambda item: -item[1]):
        print(f"{count:5d}  {module}")
    print(f"{total} code lines naming orders in {len(files)} files of generic modules (target 0)")


if __name__ == "__main__":
    main()
