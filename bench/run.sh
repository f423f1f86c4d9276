#!/usr/bin/env bash
# The relay's cost, measured against real InfluxDB: two influxd, the relay in front of both, wrk as
# the client. For batches of 100 and 1000 points and 4 and 16 connections (DURATION s each, default
# 15), direct to one influxd vs through the relay to both: requests/s, points/s, p50/p99 latency,
# non-2xx, relay CPU-seconds per million points, relay peak RSS, and whether both backends ended with
# the same points. Ratios are relay/direct, measured in the same run.
#   bench/run.sh            (influxd mode)
#   bench/run.sh standin    the relay against two nginx stand-ins that answer 204 at once: its own
#                           ceiling and cost per request, and new connections per backend request
# Env: DURATION (15), WARM (30, seconds of warm-up through the relay before measuring), CELL_WARM (10,
# seconds of the cell's own load through the relay before its measurement: the JIT compiles for each
# batch size, and a relay runs for days), BATCHES, CONNS
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
MODE=${1:-influxd}
DURATION=${DURATION:-15}; WARM=${WARM:-30}; CELL_WARM=${CELL_WARM:-10}
BATCHES=${BATCHES:-"100 1000"}; CONNS=${CONNS:-"4 16"}
LUA="$(dirname "$0")/write.lua"
OUT="$BENCH_DIR/rows.txt"; : > "$OUT"

# run_wrk URL DB BATCH CONNS -> wrk output file path
run_wrk() {
  local f="$BENCH_DIR/wrk-$RANDOM.txt"
  DB=$2 BATCH=$3 wrk -t2 -c"$4" -d"${DURATION}s" --latency -s "$LUA" "$1" > "$f" 2>&1 || true
  echo "$f"
}

measure_relay() { # url db batch conns -> appends "wrkfile cpu rss" to stdout
  local cpu0 cpu1 f rssf="$BENCH_DIR/rss-$RANDOM"
  echo 0 > "$rssf"; touch "$rssf.on"
  sample_rss "$RELAY_PID" "$rssf" &
  local sampler=$!
  cpu0=$(cpu_seconds "$RELAY_PID")
  f=$(run_wrk "$1" "$2" "$3" "$4")
  cpu1=$(cpu_seconds "$RELAY_PID")
  rm -f "$rssf.on"; wait "$sampler" 2>/dev/null || true
  echo "$f $(python3 -c "print($cpu1 - $cpu0)") $(cat "$rssf")"
}

pr=$(free_port)
if [ "$MODE" = "standin" ]; then
  s1=$(free_port); s2=$(free_port); ss=$(free_port)
  STANDIN_STATUS_PORT=$ss start_standins "$s1" "$s2"
  start_relay "$pr" "http://127.0.0.1:$s1" "http://127.0.0.1:$s2"
  stub() { curl -s "http://127.0.0.1:$ss/" | awk 'NR==3 {print $1, $3}'; }
else
  pa=$(free_port); pb=$(free_port)
  start_influxd a "$pa"; start_influxd b "$pb"
  start_relay "$pr" "http://127.0.0.1:$pa" "http://127.0.0.1:$pb"
  create_db "$pa" warm; create_db "$pb" warm
fi
ping_s=$(python3 -c "print(f'{$RELAY_READY - $RELAY_LAUNCHED:.2f}')")
echo "relay answered its first /ping ${ping_s} s after start; warming up ${WARM} s"
DB=warm BATCH=100 wrk -t2 -c16 -d"${WARM}s" -s "$LUA" "http://127.0.0.1:$pr" > /dev/null 2>&1 || true

warm_cell() { # batch conns: the cell's load through the relay, not measured
  DB=warm BATCH=$1 wrk -t2 -c"$2" -d"${CELL_WARM}s" -s "$LUA" "http://127.0.0.1:$pr" > /dev/null 2>&1 || true
}

for batch in $BATCHES; do
  for conns in $CONNS; do
    if [ "$MODE" = "standin" ]; then
      warm_cell "$batch" "$conns"
      read -r acc0 req0 < <(stub)
      read -r f cpu rss < <(measure_relay "http://127.0.0.1:$pr" standin "$batch" "$conns")
      read -r acc1 req1 < <(stub)
      echo "standin $batch $conns $f $cpu $rss $((acc1 - acc0 - 1)) $((req1 - req0 - 1))" >> "$OUT"
    else
      db="d_${batch}_${conns}"; create_db "$pa" "$db"
      icpu0=$(cpu_seconds "$INFLUXD_PID_a")
      fd=$(run_wrk "http://127.0.0.1:$pa" "$db" "$batch" "$conns")
      icpu=$(python3 -c "print($(cpu_seconds "$INFLUXD_PID_a") - $icpu0)")
      # after the direct run, so that influxd's work on the warm-up's points weighs on the relay's cell
      warm_cell "$batch" "$conns"
      db="r_${batch}_${conns}"; create_db "$pa" "$db"; create_db "$pb" "$db"
      read -r f cpu rss < <(measure_relay "http://127.0.0.1:$pr" "$db" "$batch" "$conns")
      # both backends must end with the same points (the buffer may still be replaying)
      for _ in $(seq 1 100); do
        na=$(count_points "$pa" "$db" load); nb=$(count_points "$pb" "$db" load)
        [ "$na" = "$nb" ] && break; sleep 0.3
      done
      echo "influxd $batch $conns $fd $f $cpu $rss $na $nb $icpu" >> "$OUT"
    fi
  done
done

python3 - "$OUT" "$ping_s" <<'PY'
import re, sys
def wrk(path):
    t = open(path).read()
    def dur(s):
        m = re.match(r"([\d.]+)(us|ms|s|m)", s)
        if m is None:  # wrk prints no latency when no request completed
            print(f"{path}: unreadable latency {s!r}:\n{t}", file=sys.stderr)
            return float("nan")
        v, u = float(m.group(1)), m.group(2)
        return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60000}[u]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    reqs = int(re.search(r"(\d+) requests in", t).group(1))
    non2xx = int(re.search(r"Non-2xx or 3xx responses: (\d+)", t).group(1)) if "Non-2xx" in t else 0
    p50 = dur(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1)); p99 = dur(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1))
    return rps, reqs, non2xx, p50, p99
rows = [l.split() for l in open(sys.argv[1])]
print(f"first /ping answered {sys.argv[2]} s after start")
if rows and rows[0][0] == "standin":
    print("| batch | conns | req/s | points/s | p50 ms | p99 ms | non-2xx | relay CPU-s per 1000 req | CPU-s per M points | peak RSS MB | new conns per backend request |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for _, batch, conns, f, cpu, rss, acc, req in rows:
        rps, reqs, non2xx, p50, p99 = wrk(f); batch = int(batch); cpu = float(cpu)
        print(f"| {batch} | {conns} | {rps:,.0f} | {rps * batch:,.0f} | {p50:.2f} | {p99:.2f} | {non2xx} | "
              f"{cpu * 1000 / reqs:.3f} | {cpu * 1e6 / (reqs * batch):.2f} | {rss} | {int(acc) / max(int(req), 1):.4f} |")
else:
    # relay/influxd CPU: the relay's CPU per point through it against one influxd's per point in the direct cell
    print("| batch | conns | direct points/s | relay points/s | ratio | direct p50/p99 ms | relay p50/p99 ms | p99 ratio | non-2xx (direct/relay) | relay CPU-s per M points | influxd CPU-s per M points (direct) | relay/influxd CPU | relay peak RSS MB | same points on both |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for _, batch, conns, fd, f, cpu, rss, na, nb, icpu in rows:
        d = wrk(fd); r = wrk(f); batch = int(batch); cpu = float(cpu)
        dp, rp = d[0] * batch, r[0] * batch
        relay_cpu, influxd_cpu = cpu * 1e6 / (r[1] * batch), float(icpu) * 1e6 / (d[1] * batch)
        print(f"| {batch} | {conns} | {dp:,.0f} | {rp:,.0f} | {rp / dp:.2f} | {d[3]:.2f} / {d[4]:.2f} | {r[3]:.2f} / {r[4]:.2f} | "
              f"{r[4] / d[4]:.2f} | {d[2]} / {r[2]} | {relay_cpu:.2f} | {influxd_cpu:.2f} | {relay_cpu / influxd_cpu:.2f} | {rss} | "
              f"{'yes' if na == nb else 'NO'} ({int(na):,} / {int(nb):,}) |")
PY
