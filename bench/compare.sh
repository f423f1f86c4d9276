#!/usr/bin/env bash
# Two builds (or two sets of JVM flags) of the relay side by side against the same two nginx stand-ins
# that answer 204 at once, measured interleaved (A, B, A, B, ...) so that the machine's drift weighs on
# both alike: relay CPU-s per 1000 requests, requests/s, p99, peak RSS. Both relays run all along (the
# idle one costs next to nothing) and are warmed up alike first.
#   bench/compare.sh A.jar B.jar           e.g. a copy of the jar before a change, and target/influxdb-relay.jar
#   FLAGS_A=-XX:+UseSerialGC bench/compare.sh target/influxdb-relay.jar target/influxdb-relay.jar
# Env: ROUNDS (4), DURATION (10 s per measurement), WARM (20 s per relay), BATCH (100), CONNS (4),
# FLAGS_A / FLAGS_B (extra JVM flags of each relay), ROUTES_A / ROUTES_B (a routes directory of each,
# default routes/), PROFILE (a directory: a Flight Recorder profile of each
# side's measured rounds is written there as A.jfr and B.jfr)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -eq 2 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
JAR_A=$(readlink -f "$1"); JAR_B=$(readlink -f "$2")
bench_init
ROUNDS=${ROUNDS:-4}; DURATION=${DURATION:-10}; WARM=${WARM:-20}; BATCH=${BATCH:-100}; CONNS=${CONNS:-4}
LUA="$(dirname "$0")/write.lua"

s1=$(free_port); s2=$(free_port)
start_standins "$s1" "$s2"

declare -A PORT PID
for side in A B; do
  jar_var="JAR_$side"; flags_var="FLAGS_$side"; routes_var="ROUTES_$side"
  PORT[$side]=$(free_port)
  JAR=${!jar_var} RELAY_FLAGS=${!flags_var:-} RELAY_ROUTES=${!routes_var:-$ROOT/routes} start_relay "${PORT[$side]}" "http://127.0.0.1:$s1" "http://127.0.0.1:$s2"
  PID[$side]=$RELAY_PID
done

load() { # side seconds -> wrk output file
  local f="$BENCH_DIR/wrk-$RANDOM.txt"
  DB=standin BATCH=$BATCH wrk -t2 -c"$CONNS" -d"$2s" --latency -s "$LUA" "http://127.0.0.1:${PORT[$1]}" > "$f" 2>&1 || true
  echo "$f"
}
for side in A B; do load "$side" "$WARM" > /dev/null; done
if [ -n "${PROFILE:-}" ]; then
  mkdir -p "$PROFILE"
  for side in A B; do jcmd "${PID[$side]}" JFR.start name=compare settings=profile > /dev/null; done
fi

echo "batch $BATCH x $CONNS connections, $DURATION s per measurement; A=$1 ${FLAGS_A:-} B=$2 ${FLAGS_B:-}"
echo "| round | side | req/s | non-2xx | p99 ms | relay CPU-s per 1000 req | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    pid=${PID[$side]} rssf="$BENCH_DIR/rss-$RANDOM"
    echo 0 > "$rssf"; touch "$rssf.on"
    sample_rss "$pid" "$rssf" &
    sampler=$!
    cpu0=$(cpu_seconds "$pid")
    f=$(load "$side" "$DURATION")
    cpu1=$(cpu_seconds "$pid")
    rm -f "$rssf.on"; wait "$sampler" 2>/dev/null || true
    python3 - "$f" "$round" "$side" "$cpu0" "$cpu1" "$(cat "$rssf")" <<'PY'
import re, sys
f, rnd, side, c0, c1, rss = sys.argv[1:]
t = open(f).read()
reqs = int(re.search(r"(\d+) requests in", t).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
non2xx = int(re.search(r"Non-2xx or 3xx responses: (\d+)", t).group(1)) if "Non-2xx" in t else 0
v, u = re.match(r"([\d.]+)(us|ms|s)", re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1)).groups()
p99 = float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u]
print(f"| {rnd} | {side} | {rps:,.0f} | {non2xx} | {p99:.2f} | {(float(c1) - float(c0)) * 1000 / reqs:.3f} | {rss} |")
PY
  done
done
if [ -n "${PROFILE:-}" ]; then
  for side in A B; do jcmd "${PID[$side]}" JFR.dump name=compare filename="$(readlink -f "$PROFILE")/$side.jfr" > /dev/null; done
  echo "profiles: $PROFILE/A.jfr $PROFILE/B.jfr (jfr print --events jdk.ExecutionSample ...)"
fi
