#!/usr/bin/env python3
"""Every code block of docs/your-own-stack.md is an excerpt of a file of the example that CI builds.

A block is preceded by `<!-- excerpt: PATH -->` (PATH relative to examples/webhooks, or `repo:PATH` relative to
this repository) and each of its lines, but
blank ones, comment-only ones and those holding `...` (an elision), must appear in PATH in the same order (compared
without surrounding whitespace, trailing commas and trailing comments). A block without the marker is an error,
unless marked `<!-- shell -->` (commands to type). CI runs it against the user's copy of the example that is built
from a tagged orderstack (Tests/Integration/user_package.sh), so every snippet is known to compile and run as
written.

    python3 scripts/check-doc-snippets.py [--example DIR] [DOC...]
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = re.compile(r"<!-- (excerpt: (?P<path>\S+)|shell) -->")


def normalize(line):
    line = re.sub(r"\s+(//|#)\s.*$", "", line.strip())
    line = line.rstrip(",").strip()
    return re.sub(r"\s+", " ", line)


def wanted(line):
    text = normalize(line)
    return bool(text) and "..." not in text and not text.startswith(("//", "#"))


def blocks(doc):
    """(line number, marker or None, code lines) for each fenced block."""
    lines = doc.read_text(encoding="utf-8").split("\n")
    index = 0
    while index < len(lines):
        if lines[index].startswith("```"):
            start = index
            marker = next((MARKER.search(lines[k]) for k in range(start - 1, max(start - 4, -1), -1)
                           if MARKER.search(lines[k])), None)
            index += 1
            body = []
            while index < len(lines) and not lines[index].startswith("```"):
                body.append(lines[index])
                index += 1
            yield start + 1, marker, body
        index += 1


def check(doc, example):
    problems = []
    for line_number, marker, body in blocks(doc):
        where = f"{doc.relative_to(ROOT)}:{line_number}"
        if marker is None:
            problems.append(f"{where}: a code block without <!-- excerpt: PATH --> or <!-- shell -->")
            continue
        if marker.group("path") is None:
            continue
        path = marker.group("path")
        # `repo:PATH` names a file of this repository (a test's construct), not of the example.
        source = ROOT / path[len("repo:"):] if path.startswith("repo:") else example / path
        if not source.exists():
            problems.append(f"{where}: {marker.group('path')} is not a file of the example")
            continue
        text = [normalize(line) for line in source.read_text(encoding="utf-8").split("\n")]
        position = 0
        for offset, line in enumerate(body, start=1):
            if not wanted(line):
                continue
            target = normalize(line)
            try:
                position = text.index(target, position) + 1
            except ValueError:
                problems.append(
                    f"{doc.relative_to(ROOT)}:{line_number + offset}: not in {marker.group('path')} "
                    f"(in this order): {line.strip()}")
                break
    return problems


def main(arguments):
    example = ROOT / "examples" / "webhooks"
    if arguments[:1] == ["--example"]:
        example, arguments = pathlib.Path(arguments[1]).resolve(), arguments[2:]
    docs = [pathlib.Path(a).resolve() for a in arguments] or [ROOT / "docs" / "your-own-stack.md"]
    problems = [problem for doc in docs for problem in check(doc, example)]
    for problem in problems:
        print(problem, file=sys.stderr)
    count = sum(1 for doc in docs for _ in blocks(doc))
    print(f"{count} code blocks checked against {example}: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
