#!/usr/bin/env bash
# The retry buffer under an outage: two real influxd behind the relay, a steady wrk load, backend b
# stopped for OUTAGE seconds, then started again. Prints how many points the buffer held, how fast it
# replayed them (points per second), and the relay's resident memory at the buffer's peak.
# STORE=disk keeps the buffer on disk (relay.buffer.store=disk, FSYNC=interval by default): the script
# then also prints the disk bytes per buffered point; both print the relay's CPU per point.
#   bench/buffer-drain.sh            (OUTAGE=10 LOAD=25 CONNS=4 BATCH=100 STORE=memory)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
OUTAGE=${OUTAGE:-10}; LOAD=${LOAD:-25}; CONNS=${CONNS:-4}; export BATCH=${BATCH:-100}; STORE=${STORE:-memory}

pa=$(free_port); pb=$(free_port); pr=$(free_port)
start_influxd a "$pa"; start_influxd b "$pb"
create_db "$pa" bench; create_db "$pb" bench
RELAY_FLAGS="-Drelay.buffer-size-mb=${BUFFER_MB:-256} -Drelay.buffer.store=$STORE -Drelay.buffer.dir=$BENCH_DIR/buffer -Drelay.buffer.fsync=${FSYNC:-interval}" start_relay "$pr" "http://127.0.0.1:$pa" "http://127.0.0.1:$pb"
echo "relay on $pr (pid $RELAY_PID), influxd a on $pa, b on $pb; outage ${OUTAGE}s under ${CONNS} connections x ${BATCH} points; $STORE buffer"

wrk -t2 -c"$CONNS" -d"${LOAD}s" -s "$(dirname "$0")/write.lua" "http://127.0.0.1:$pr" > "$BENCH_DIR/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 1
a_start=$(count_points "$pa" bench load); t_start=$(date +%s.%N)
sleep 2
b_before=$(count_points "$pb" bench load)
a_down=$(count_points "$pa" bench load); cpu_down=$(cpu_seconds "$RELAY_PID"); t_down=$(date +%s.%N)
stop_pid "$INFLUXD_PID_b"
sleep "$OUTAGE"
peak_rss=$(rss_mb "$RELAY_PID")
cpu_outage=$(cpu_seconds "$RELAY_PID"); t_outage=$(date +%s.%N)
disk_kb=0; [ -d "$BENCH_DIR/buffer" ] && disk_kb=$(du -sk "$BENCH_DIR/buffer" | cut -f1)
start_influxd b "$pb"
t_restart=$(date +%s.%N)
b_at_restart=$(count_points "$pb" bench load)
a_at_restart=$(count_points "$pa" bench load)
t_first=""; t_caught=""
while :; do
  na=$(count_points "$pa" bench load); nb=$(count_points "$pb" bench load)
  if [ -z "$t_first" ] && [ "$nb" != "$b_at_restart" ]; then t_first=$(date +%s.%N); fi
  if [ -z "$t_caught" ] && [ "$nb" -ge "$a_at_restart" ]; then t_caught=$(date +%s.%N); fi
  if [ "$na" = "$nb" ] && ! kill -0 "$wrk_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
t_done=$(date +%s.%N)
wait "$wrk_pid" || true
python3 - "$t_restart" "$t_first" "$t_done" "$t_caught" "$t_down" "$t_outage" "$cpu_down" "$cpu_outage" \
    "$b_before" "$a_at_restart" "$b_at_restart" "$na" "$peak_rss" "$a_down" "$disk_kb" "$t_start" "$a_start" <<'PY'
import sys
t0, tf, t1, tc, td, to, cd, co = (float(x) for x in sys.argv[1:9])
b_before, a_restart, b_restart, total, rss, a_down, disk_kb = (int(x) for x in sys.argv[9:16])
ts, a_start = float(sys.argv[16]), int(sys.argv[17])
missed = a_restart - b_restart
replayed = total - b_restart
print(f"points missed by b during the outage: {missed}")
print(f"first replay {tf - t0:.1f} s after b came back (the back-off in progress, at most max-delay-interval)")
print(f"caught up {t1 - t0:.1f} s after b came back; replayed {replayed} points (the outage's and those written meanwhile)")
print(f"drain rate: {replayed / (t1 - tf):,.0f} points/s from the first replay")
print(f"the outage's points replayed {tc - t0:.1f} s after b came back: {missed / (tc - tf):,.0f} points/s from the first replay")
outage_points = a_restart - a_down
print(f"before the outage: {(a_down - a_start) / (td - ts):,.0f} points/s into both servers")
print(f"during the outage: {outage_points / (to - td):,.0f} points/s taken by a and buffered for b; "
      f"relay {1e6 * (co - cd) / max(outage_points, 1):.2f} CPU-s per million points")
if disk_kb:
    print(f"disk buffer at the end of the outage: {disk_kb / 1024:.1f} MB, {disk_kb * 1024 / max(missed, 1):.1f} bytes per point")
print(f"relay resident memory at the end of the outage: {rss} MB")
print(f"final points: a={total} b={total}")
PY
grep -E "Requests/sec|Non-2xx" "$BENCH_DIR/wrk.txt" || true
