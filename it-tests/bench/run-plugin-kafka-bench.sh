#!/usr/bin/env bash
# The whole auditd plugin (a separate bin/ursprung plugin process, -Xmx256m, stdin) into a real
# Kafka broker, beside the libauparse baseline on the same input in the same run.
# Usage: it-tests/bench/run-plugin-kafka-bench.sh [capture.gz] [rounds] [copies in the long run]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
mvn -B -q install -DskipTests -pl it-tests -am
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
mvn -B -q -pl it-tests dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test
cp="$repo/it-tests/target/test-classes:$repo/it-tests/target/classes:$(cat "$cpfile")"
capture=${1:-$repo/../shared/testdata/audit/bulk-bob.plugin-stream.log.gz}
exec java -Xmx1g -cp "$cp" io.ursprung.bench.PluginKafkaBench "$repo" "$capture" "${2:-3}" "${3:-4}"
