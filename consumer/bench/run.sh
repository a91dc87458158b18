#!/usr/bin/env bash
# Consumer benchmark: the bulk capture through the auditd plugin's parser into a real (in-process)
# Kafka broker, then Kafka -> consumer -> PostgreSQL, beside a raw COPY of the same rows.
# Needs the same PostgreSQL as the integration tests (see README.md). Figures: docs/performance.md.
# Usage: consumer/bench/run.sh [capture.log.gz] [batch size]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl db,consumer install -DskipTests
mvn -B -q -pl it-tests test-compile
args="${*:-$(cd .. && pwd)/shared/testdata/audit/bulk-bob.plugin-stream.log.gz}"
exec mvn -B -q -pl it-tests exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.ursprung.it.bench.ConsumerBench -Dexec.args="$args"
