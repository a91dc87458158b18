#!/usr/bin/env bash
# Parse + OS-model throughput on the bulk capture versus the libauparse baseline.
# Usage (from anywhere): auditd-plugin/bench/run-parse-bench.sh [capture] [warm-up] [rounds]
set -euo pipefail
module=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$module/.." && pwd)
cd "$repo"
mvn -B -q -pl auditd-plugin -am install -DskipTests -DskipITs -Dspotless.check.skip=true
mvn -B -q -pl auditd-plugin test-compile -Dspotless.check.skip=true
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
mvn -B -q -pl auditd-plugin dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test
cp="$module/target/test-classes:$module/target/classes:$(cat "$cpfile")"
capture=${1:-$repo/../shared/testdata/audit/bulk-bob.plugin-stream.log.gz}
exec java -Xms1g -Xmx1g -XX:+UseParallelGC -cp "$cp" io.ursprung.plugin.bench.ParseModelBench \
  "$capture" "${2:-5}" "${3:-5}" "$repo/../shared/bench/auparse-baseline.sh"
