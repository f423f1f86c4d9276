#!/usr/bin/env bash
# JMH throughput of the line-protocol scanner, LineScanner.scan(body, 0, len, now, NANOSECONDS), on one
# thread, over ~256 KiB bodies of Telegraf-style lines
# (cpu,cpu=cpu0,host=server01,region=us-west usage_idle=98.5,usage_user=1.2,usage_system=0.3,usage_iowait=0i TS):
#   with timestamps     every line has one: the scan checks the lines and returns a slice of the input
#   without timestamps  the same lines without: the scan stamps each one into a copy
# Prints MB/s of input scanned (MB = 10^6 bytes), mean ± JMH's 99.9% error, from the benchmark's "bytes"
# counter. Takes about 1 minute (after the first build). Benchmark: src/test/java/.../ScannerBenchmark.java.
#   bench/scanner.sh                          defaults below
#   bench/scanner.sh -p lines=cpu,telegraf    also the mixed cpu/mem/disk/net/system body (quoted strings)
#   JMH_ARGS='-f 3 -wi 5 -i 10' bench/scanner.sh   other JMH settings (replace the defaults)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JMH_ARGS=${JMH_ARGS:--f 1 -wi 3 -w 2s -i 5 -r 2s -t 1}
CP_FILE="$ROOT/target/bench-test-classpath.txt"
RESULT="$ROOT/target/jmh-scanner.json"

mvn -q -B test-compile
if [ ! -s "$CP_FILE" ] || [ "$ROOT/pom.xml" -nt "$CP_FILE" ]; then
  mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
fi
[ -f target/test-classes/META-INF/BenchmarkList ] || { echo "no JMH BenchmarkList: annotation processor did not run" >&2; exit 1; }

# shellcheck disable=SC2086 # JMH_ARGS is a list of words
java -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" org.openjdk.jmh.Main \
  'io\.influxrelay\.lineprotocol\.ScannerBenchmark\.' $JMH_ARGS -rf json -rff "$RESULT" "$@"

python3 - "$RESULT" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
names = {"withTimestamps": "with timestamps", "withoutTimestamps": "without timestamps (stamped copy)"}
print()
print(f"{'case':<36}{'lines':<10}{'MB/s':>22}{'bodies/s':>12}")
for r in rows:
    b = r["secondaryMetrics"]["bytes"]
    case = names.get(r["benchmark"].rsplit(".", 1)[1], r["benchmark"])
    mbs = f"{b['score'] / 1e6:.1f} ± {b['scoreError'] / 1e6:.1f}"
    print(f"{case:<36}{r.get('params', {}).get('lines', ''):<10}{mbs:>22}{r['primaryMetric']['score']:>12.0f}")
print(f"(threads={rows[0]['threads']}, forks={rows[0]['forks']}, {rows[0]['measurementIterations']} x {rows[0]['measurementTime']} measured; raw: {sys.argv[1]})")
EOF
