#!/usr/bin/env bash
# The retry buffer under an outage: two real influxd behind the relay, a steady wrk load, backend b
# stopped for OUTAGE seconds, then started again. Prints how many points the buffer held, how fast it
# replayed them (points per second), and the relay's resident memory at the buffer's peak.
#   bench/buffer-drain.sh            (OUTAGE=10 LOAD=25 CONNS=4 BATCH=100)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
OUTAGE=${OUTAGE:-10}; LOAD=${LOAD:-25}; CONNS=${CONNS:-4}; export BATCH=${BATCH:-100}

pa=$(free_port); pb=$(free_port); pr=$(free_port)
start_influxd a "$pa"; start_influxd b "$pb"
create_db "$pa" bench; create_db "$pb" bench
RELAY_FLAGS="-Drelay.buffer-size-mb=${BUFFER_MB:-256}" start_relay "$pr" "http://127.0.0.1:$pa" "http://127.0.0.1:$pb"
echo "relay on $pr (pid $RELAY_PID), influxd a on $pa, b on $pb; outage ${OUTAGE}s under ${CONNS} connections x ${BATCH} points"

wrk -t2 -c"$CONNS" -d"${LOAD}s" -s "$(dirname "$0")/write.lua" "http://127.0.0.1:$pr" > "$BENCH_DIR/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 3
b_before=$(count_points "$pb" bench load)
stop_pid "$INFLUXD_PID_b"
sleep "$OUTAGE"
peak_rss=$(rss_mb "$RELAY_PID")
start_influxd b "$pb"
t_restart=$(date +%s.%N)
b_at_restart=$(count_points "$pb" bench load)
a_at_restart=$(count_points "$pa" bench load)
t_first=""
while :; do
  na=$(count_points "$pa" bench load); nb=$(count_points "$pb" bench load)
  if [ -z "$t_first" ] && [ "$nb" != "$b_at_restart" ]; then t_first=$(date +%s.%N); fi
  if [ "$na" = "$nb" ] && ! kill -0 "$wrk_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
t_done=$(date +%s.%N)
wait "$wrk_pid" || true
python3 - "$t_restart" "$t_first" "$t_done" "$b_before" "$a_at_restart" "$b_at_restart" "$na" "$peak_rss" <<'PY'
import sys
t0, tf, t1 = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
b_before, a_restart, b_restart, total, rss = (int(x) for x in sys.argv[4:])
missed = a_restart - b_restart
replayed = total - b_restart
print(f"points missed by b during the outage: {missed}")
print(f"first replay {tf - t0:.1f} s after b came back (the back-off in progress, at most max-delay-interval)")
print(f"caught up {t1 - t0:.1f} s after b came back; replayed {replayed} points (the outage's and those written meanwhile)")
print(f"drain rate: {replayed / (t1 - tf):,.0f} points/s from the first replay")
print(f"relay resident memory at the end of the outage: {rss} MB")
print(f"final points: a={total} b={total}")
PY
grep -E "Requests/sec|Non-2xx" "$BENCH_DIR/wrk.txt" || true
