#!/usr/bin/env bash
# Fuzz the template reader and the validate checks with libFuzzer.
#   Fuzz/run.sh [seconds]      (default 300)
# Seeds: Fuzz/corpus (committed: what earlier runs found) plus the real-world templates and our fixtures.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-300}"
swift build -c release -Xswiftc -sanitize=fuzzer -Xlinker --allow-multiple-definition --product ValidateFuzzer 2>&1 | tail -n 2
seeds=$(mktemp -d)
cp ../../shared/corpus-real/*.y*ml ../../shared/corpus-real/*.json "$seeds"/ 2>/dev/null || true
cp ../../shared/corpus-real-2/*.y*ml ../../shared/corpus-real-2/*.json "$seeds"/ 2>/dev/null || true
cp ../Tests/ValidationTests/Fixtures/wired.yaml ../output/*.yaml "$seeds"/
mkdir -p corpus artifacts
./.build/release/ValidateFuzzer corpus "$seeds" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=4096 -artifact_prefix=artifacts/ -print_final_stats=1
rm -rf "$seeds"
