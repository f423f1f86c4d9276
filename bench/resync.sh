#!/usr/bin/env bash
# Resync and automatic recovery between two real influxd.
#  1. POINTS points (default 2,000,000, 20 series, float, integer and string fields) are loaded into
#     server a; the relay copies them to the empty server b (POST /relay/resync on its management port).
#     Prints points/s, the relay's CPU seconds and its resident memory before and at the peak.
#  2. (OUTAGE > 0, default 60) a wrk load writes through the relay with a small buffer (BUFFER_MB=1),
#     b is stopped for OUTAGE seconds, so writes overflow its buffer into the missing-data ledger;
#     b is started again: prints the seconds from b's return to /health/backend/b2 answering 200
#     (buffer drained, ledger ranges resynced and checked by automatic recovery).
#   bench/resync.sh        POINTS=2000000 OUTAGE=60 LOAD_CONNS=2
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
POINTS=${POINTS:-2000000}; OUTAGE=${OUTAGE:-60}; LOAD_CONNS=${LOAD_CONNS:-2}

pa=$(free_port); pb=$(free_port); pr=$(free_port); pm=$(free_port)
start_influxd a "$pa"; start_influxd b "$pb"
create_db "$pa" bench

echo "loading $POINTS points into influxd a ..."
t0=1700000000000000000
python3 - "$pa" "$POINTS" "$t0" <<'PY'
import sys, urllib.request
port, points, t0 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
batch = 50000
for start in range(0, points, batch):
    lines = [f'load,host=h{i % 20} v={i * 0.5},n={i}i,s="p {i}" {t0 + i * 1000000}' for i in range(start, min(points, start + batch))]
    req = urllib.request.Request(f'http://127.0.0.1:{port}/write?db=bench', data='\n'.join(lines).encode(), method='POST')
    urllib.request.urlopen(req).read()
PY
echo "a holds $(count_points "$pa" bench load) points"

RELAY_MANAGEMENT_PORT=$pm RELAY_FLAGS="-Drelay.buffer-size-mb=${BUFFER_MB:-1} -Drelay.recovery.interval=1s ${EXTRA_FLAGS:-}" \
  start_relay "$pr" "http://127.0.0.1:$pa" "http://127.0.0.1:$pb"
rss_before=$(rss_mb "$RELAY_PID"); cpu_before=$(cpu_seconds "$RELAY_PID")
end_ns=$((t0 + POINTS * 1000000))
job=$(curl -s -XPOST -H 'Content-Type: application/json' "http://127.0.0.1:$pm/relay/resync" \
  -d "{\"from\":\"b1\",\"to\":\"b2\",\"db\":\"bench\",\"start\":$t0,\"end\":$end_ns}")
id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$job")
peak=$rss_before
while :; do
  state=$(curl -s "http://127.0.0.1:$pm/relay/jobs/$id")
  rss=$(rss_mb "$RELAY_PID"); [ "$rss" -gt "$peak" ] && peak=$rss
  case "$state" in *'"state":"running"'*) sleep 0.2 ;; *) break ;; esac
done
cpu_after=$(cpu_seconds "$RELAY_PID")
python3 - "$state" <<'PY'
import json, sys
job = json.loads(sys.argv[1])
if job["state"] != "done":
    sys.exit("resync failed: %s" % job.get("error"))
r = job["result"]
print("resync: %d points in %.1f s: %.0f points/s (%d batches)" % (r["points"], job["elapsedSeconds"], r["pointsPerSecond"], r["batches"]))
PY
echo "b holds $(count_points "$pb" bench load) points"
echo "relay CPU during the resync: $(awk "BEGIN {print $cpu_after - $cpu_before}") s; RSS ${rss_before} MB before, ${peak} MB at the peak (growth $((peak - rss_before)) MB)"

[ "$OUTAGE" -gt 0 ] || exit 0
echo "outage: ${LOAD_CONNS} wrk connections x 100 points through the relay, b stopped for ${OUTAGE}s (buffer ${BUFFER_MB:-1} MB)"
wrk -t1 -c"$LOAD_CONNS" -d"$((OUTAGE + 10))s" -s "$(dirname "$0")/write.lua" "http://127.0.0.1:$pr" > "$BENCH_DIR/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 3
stop_pid "$INFLUXD_PID_b"
sleep "$OUTAGE"
ledger=$(curl -s "http://127.0.0.1:$pm/relay/missing-data")
start_influxd b "$pb"
t_back=$(date +%s.%N)
while [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$pr/health/backend/b2")" != 200 ]; do sleep 0.1; done
t_ok=$(date +%s.%N)
wait "$wrk_pid" || true
echo "ledger at b's return: $ledger"
echo "b answered /ping again; /health/backend/b2 answered 200 $(awk "BEGIN {printf \"%.1f\", $t_ok - $t_back}") s later"
grep -E 'recovery of backend' "$BENCH_DIR/relay-$pr/relay.log" | sed 's/^/  /' || true
