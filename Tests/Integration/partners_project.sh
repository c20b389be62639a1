#!/bin/sh
# A scratch project whose only difference from this one is a stage with partners (Tests/Integration/stages):
# synthesized into DIR/output by the orderstack binary given, for the gates (cfn-lint, checkov, cdk-nag).
#   Tests/Integration/partners_project.sh .build/debug/orderstack DIR
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=$1
directory=$2
rm -rf "$directory"
mkdir -p "$directory"
cp -R "$root/blueprints" "$directory/blueprints"
rm -f "$directory"/blueprints/stages/*.yaml
cp "$root/Tests/Integration/stages/partners.yaml" "$directory/blueprints/stages/"
"$binary" synth --project "$directory" --output "$directory/output" >/dev/null
echo "$directory/output/orders-partners.yaml"
