#!/usr/bin/env python3
"""Run cdk-nag's AwsSolutions pack on orderstack templates, honouring their written suppressions.

cdk-nag 3 no longer reads `Metadata.cdk_nag.rules_to_suppress` (it writes that form only for audit trails); rules
are acknowledged through CDK's `Validations.of(construct).acknowledge(...)`. This script includes each template
with `cloudformation_include`, acknowledges exactly the rules each resource's Metadata lists (with `applies_to`
turned into finding IDs such as `AwsSolutions-IAM5[Resource::*]`), refuses a suppression without a reason, runs
the pack, and prints every violation left. Exit 0 when none is left, 1 otherwise.

Needs aws-cdk-lib, cdk-nag and cfn-flip (see ../shared/peers/README.md; scripts/bench-synth.py builds the same
virtualenv):

    /tmp/peers-venv/bin/python scripts/cdk-nag-check.py output/orders-dev.yaml output/orders-prod.yaml
"""
import json
import pathlib
import sys
import tempfile

import aws_cdk as cdk
from aws_cdk import cloudformation_include as cfn_inc
from cdk_nag import AwsSolutionsChecks
from cfn_flip import load


def check(path, out):
    document, _ = load(pathlib.Path(path).read_text())
    document = json.loads(json.dumps(document, default=str))
    name = pathlib.Path(path).stem.replace("-", "")
    plain = out / f"{name}.json"
    plain.write_text(json.dumps(document))
    app = cdk.App(outdir=str(out / name))
    stack = cdk.Stack(app, "Nag" + name.capitalize())
    included = cfn_inc.CfnInclude(stack, "Template", template_file=str(plain))
    problems = []
    acknowledged = 0
    for logical_id, resource in document.get("Resources", {}).items():
        rules = (resource.get("Metadata") or {}).get("cdk_nag", {}).get("rules_to_suppress", [])
        for rule in rules:
            reason = (rule.get("reason") or "").strip()
            if len(reason) < 20:
                problems.append(f"{path}: {logical_id}: suppression of {rule.get('id')} has no written reason")
                continue
            ids = [f"{rule['id']}[{finding}]" for finding in rule.get("applies_to", [])] or [rule["id"]]
            for finding in ids:
                cdk.Validations.of(included.get_resource(logical_id)).acknowledge(
                    cdk.Acknowledgment(id=finding, reason=reason))
                acknowledged += 1
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    try:
        app.synth()
    except Exception:  # the plugin raises when violations are left; the report says which
        pass
    report = out / name / "validation-report.json"
    if report.exists():
        for plugin in json.loads(report.read_text()).get("pluginReports", []):
            for violation in plugin.get("violations", []):
                for construct in violation.get("violatingConstructs", []):
                    problems.append(f"{path}: {construct['constructPath'].rsplit('/', 1)[-1]}: "
                                    f"{violation['severity']}: {violation['ruleName']}: {violation['description']}")
    print(f"{path}: {len(problems)} cdk-nag findings left, {acknowledged} acknowledged with a reason")
    return problems


def main(paths):
    out = pathlib.Path(tempfile.mkdtemp(prefix="orderstack-nag-"))
    problems = [problem for path in paths for problem in check(path, out)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
