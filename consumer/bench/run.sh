#!/usr/bin/env bash
# Consumer benchmark: the bulk capture through the auditd plugin's parser into a real (in-process)
# Kafka broker, then Kafka -> consumer (its own JVM) -> PostgreSQL, beside a raw COPY of the same
# rows, several runs. Needs the same PostgreSQL as the integration tests (see it-tests/README.md).
# Figures: docs/performance.md.
# Usage: consumer/bench/run.sh [capture.log.gz] [batch size] [runs] [copies]
# copies (default 4): the capture played that many times, each copy's audit serials and clock moved
# on, for the sustained rate (after the first copy). Extra Maven options (a private local
# repository, say): BENCH_MVN_OPTS. Consumer JVM options (a flight recording): BENCH_CONSUMER_JVM_OPTS.
# More consumer settings (--set key=value each, e.g. kafka.max.partition.fetch.bytes=8388608):
# BENCH_CONSUMER_SETTINGS. Heap of the harness JVM (it holds every copy's rows for the COPY ceiling): BENCH_HEAP (4g).
# A schema variant to measure before writing a migration for it: BENCH_SQL (run after the
# migrations on each run's fresh database, e.g. "ALTER INDEX used_file SET (deduplicate_items = off)").
# BENCH_KEEP_DB=1 keeps each run's database (its name is printed) for a look at table and index
# sizes; drop it afterwards.
# Besides rates, the harness prints the CPU per event of the consumer's PostgreSQL backends and of
# the ceiling's COPY (read from /proc: PostgreSQL must run on this machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
# Formatting is checked by the build, not by a benchmark.
mvn -B -q ${BENCH_MVN_OPTS:-} -pl db,consumer install -DskipTests -Dspotless.check.skip=true
mvn -B -q ${BENCH_MVN_OPTS:-} -pl it-tests test-compile -Dspotless.check.skip=true
capture="${1:-$(cd .. && pwd)/shared/testdata/audit/bulk-bob.plugin-stream.log.gz}"
# A private copy of every jar: other builds on this machine re-install ~/.m2 jars, and a jar
# replaced under a running JVM (the consumer loads classes lazily) ends it.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mvn -B -q ${BENCH_MVN_OPTS:-} -pl it-tests dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp.txt"
mkdir "$work/jars"
cp=it-tests/target/test-classes:it-tests/target/classes
i=0
for jar in $(tr ':' ' ' < "$work/cp.txt"); do
  if [[ -f "$jar" ]]; then
    cp "$jar" "$work/jars/$i-$(basename "$jar")"
    cp="$cp:$work/jars/$i-$(basename "$jar")"
    i=$((i + 1))
  else
    cp="$cp:$jar"
  fi
done
cp -r it-tests/target/test-classes "$work/test-classes"
cp -r it-tests/target/classes "$work/classes"
cp="$work/test-classes:$work/classes:${cp#it-tests/target/test-classes:it-tests/target/classes:}"
java -Xmx"${BENCH_HEAP:-4g}" -cp "$cp" io.ursprung.it.bench.ConsumerBench "$capture" "${2:-5000}" "${3:-5}" "${4:-4}" \
  2> >(grep -v -E ' (INFO|DEBUG) ' >&2)
