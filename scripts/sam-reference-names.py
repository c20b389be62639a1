#!/usr/bin/env python3
"""Print what the SAM reference implementation generates for each SAM template given: the logical IDs and types
of the transformed template, as JSON `{file: {logicalId: type}}` (`{file: {"error": message}}` when the translator
rejects the file). Uses cfn-lint's wrapper around aws-sam-translator, which fills in local CodeUri paths.

    python3 scripts/sam-reference-names.py ../shared/corpus-real-2/*.yaml

The test suite runs it to hold `SAMExpansion` to the reference implementation; orderstack never runs it itself.
"""
import copy
import json
import logging
import sys

from cfnlint.decode import decode
from cfnlint.template.transforms._sam import Transform

logging.disable(logging.CRITICAL)


def expand(path):
    template, _ = decode(path)
    if template is None:
        return {"error": "not readable"}
    transform = template.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    if not any(isinstance(name, str) and name.startswith("AWS::Serverless") for name in names):
        return None
    wrapper = Transform(path, copy.deepcopy(template), "us-east-1")
    problems = wrapper.transform_template()
    if problems:
        return {"error": "; ".join(str(problem.message) for problem in problems)}
    return {name: body.get("Type") for name, body in wrapper.template().get("Resources", {}).items()}


def main():
    result = {}
    for path in sys.argv[1:]:
        expanded = expand(path)
        if expanded is not None:
            result[path] = expanded
    json.dump(result, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
