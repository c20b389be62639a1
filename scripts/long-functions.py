#!/usr/bin/env python3
"""Lists the functions of Sources/ longer than a limit (issue 29: none over 100 lines), longest first.

    python3 scripts/long-functions.py [--limit 100] [--top 10]

A function is a `func`, `init` or computed `var ... {` declaration; its length runs from the declaration's line to
its closing brace (braces inside strings and comments are skipped). Exit 1 when one is over the limit.
"""
import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DECLARATION = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|static|final|"
                         r"override|mutating|nonisolated|class|convenience|required|@inlinable)\s+)*"
                         r"(func\s+[^\s(<]+|init[?!]?|deinit)\b")


def strip(line, in_block):
    """The line without comments and string contents; whether a block comment is still open."""
    out, i, quote = [], 0, False
    while i < len(line):
        if in_block:
            end = line.find("*/", i)
            if end < 0:
                return "".join(out), True
            i, in_block = end + 2, False
            continue
        if not quote and line.startswith("//", i):
            break
        if not quote and line.startswith("/*", i):
            in_block, i = True, i + 2
            continue
        ch = line[i]
        if ch == "\\" and quote:
            i += 2
            continue
        if ch == '"':
            quote = not quote
        elif not quote:
            out.append(ch)
        i += 1
    return "".join(out), in_block


def functions(path):
    lines = path.read_text(errors="replace").splitlines()
    in_block, depth, open_functions, found, multiline = False, 0, [], [], False
    for number, raw in enumerate(lines, 1):
        if raw.strip().startswith('"""'):
            multiline = not multiline
            continue
        if multiline:
            continue
        code, in_block = strip(raw, in_block)
        match = DECLARATION.match(code)
        if match:
            open_functions.append((match.group(1), number, depth))
        for ch in code:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                while open_functions and open_functions[-1][2] == depth and depth >= 0:
                    name, start, _ = open_functions.pop()
                    found.append((number - start + 1, name, start))
                    break
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    everything = []
    for path in sorted((ROOT / "Sources").rglob("*.swift")):
        if path.name.endswith("+Data.swift") or "Compressed" in path.name:
            continue
        for length, name, start in functions(path):
            everything.append((length, f"{path.relative_to(ROOT)}:{start}", name))
    everything.sort(reverse=True)
    for length, where, name in everything[: args.top]:
        print(f"{length:5d}  {where}  {name}")
    over = [item for item in everything if item[0] > args.limit]
    lengths = sorted(item[0] for item in everything)
    median = lengths[len(lengths) // 2] if lengths else 0
    print(f"{len(everything)} functions, median {median} lines, {len(over)} over {args.limit} lines")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
