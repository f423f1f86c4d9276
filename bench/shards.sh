#!/usr/bin/env bash
# The cost of splitting writes among shards, measured against nginx stand-ins that answer 204 at once
# (so the relay is the bound, as in `bench/run.sh standin`). wrk sends Telegraf-like batches
# (bench/write-telegraf.lua: 1000 points over 50 measurements per request, tags host and region, four
# fields, unique timestamps) through the relay to
#   one: one shard of two stand-ins (b1, b2): the relay as without shards, every point to both;
#   two: two shards of two stand-ins each (relay.shards=s1,s2, s1 = b1,b2, s2 = b3,b4,
#        relay.shard-key=db,measurement): each point to the two stand-ins of its shard;
#   two-mixed: the same with the measurements interleaved line by line (ORDER=interleaved in the Lua
#        script; the others send each measurement's points together, as Telegraf does): the worst case
#        for the splitter, which reuses the shard of the line before when the measurement is the same;
#   one4 (not by default): one shard of all four stand-ins, every point to four backends: against one, the
#        price of two more backend requests per write, each with the whole body.
# For each layout and CONNS connections: requests/s, points/s, p50/p99, non-2xx, relay CPU-seconds per
# million points (utime+stime of the relay over the measured window / points wrk got answers for; in
# brackets the part of it the JIT compiler threads took), the ratio of that to layout one's at the same
# connections, all threads and steady (the JIT compiler threads left out: the target, at most 1.15, is for
# the steady state), relay peak RSS (sampled every 0.2 s), the points per shard from the relay's /metrics
# (relay_shard_points_total, two only), and the requests and body bytes (Content-Length) each stand-in
# received (from its own access log, the idle relays' health probes included: a few bodiless requests);
# all counted over the measured window only. Last, the median and range of the steady ratio over all cells.
#   bench/shards.sh
# Each layout runs in its own relay (default settings and bin/relay's heap flags from config.MemoryFlags).
# STARTS times, a fresh relay per layout is started and warmed (WARM s of the load each); then ROUNDS
# rounds measure every layout and connection count in turn, each cell after CELL_WARM s of its own load,
# so that the machine's drift weighs on every layout alike (the relays not measured sit idle). "vs one"
# compares with layout one's cell of the same start and round. Fresh relays each start because one JVM's
# JIT-compiled code differs from the next one's: the same build's relays, measured side by side for
# minutes, kept CPU costs 15-40 % apart, start after start (bench/RESULTS.md).
# PIN=1 keeps the relays on the last core and wrk and nginx on the others (taskset, set once each process
# runs: the relay sizes its pools as unpinned): on this 2-core machine the load then no longer shares the
# relay's core, its caches and its scheduler slices, so the relay's CPU per point is its own.
# Env: DURATION (15), WARM (30), CELL_WARM (10), CONNS ("4 16"), BATCH (1000), LAYOUTS ("one two
# two-mixed"), STARTS (3), ROUNDS (1), PIN (unset), PROFILE (a directory: a Flight Recorder profile of each
# layout's measured cells is written there as <layout>-<start>.jfr).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
DURATION=${DURATION:-15}; WARM=${WARM:-30}; CELL_WARM=${CELL_WARM:-10}
CONNS=${CONNS:-"4 16"}; BATCH=${BATCH:-1000}; LAYOUTS=${LAYOUTS:-"one two two-mixed"}; ROUNDS=${ROUNDS:-1}; STARTS=${STARTS:-3}
LUA="$(dirname "$0")/write-telegraf.lua"
OUT="$BENCH_DIR/rows.txt"; : > "$OUT"

# four stand-ins, each logging the length of every request it answers to its own file
ports=(); for _ in 1 2 3 4; do ports+=("$(free_port)"); done
STANDIN_LOG_LENGTHS=1 start_standins "${ports[@]}"

last=$(($(nproc) - 1)); others="0-$((last - 1))"; LOAD=()
if [ -n "${PIN:-}" ]; then
  [ "$last" -ge 1 ] || { echo "PIN needs two cores or more" >&2; exit 1; }
  LOAD=(taskset -c "$others")
  nginx_master=$(cat "$BENCH_DIR/nginx/nginx.pid")
  for p in "$nginx_master" $(ps -o pid= --ppid "$nginx_master"); do taskset -a -p -c "$others" "$p" > /dev/null; done
  echo "pinned: the relays to core $last, wrk and nginx to cores $others"
fi
pin_relay() { [ -z "${PIN:-}" ] || taskset -a -p -c "$last" "$1" > /dev/null; }

run_wrk() { # url db conns seconds -> wrk output file path
  local f="$BENCH_DIR/wrk-$RANDOM.txt"
  DB=$2 BATCH=$BATCH ORDER=$ORDER "${LOAD[@]}" wrk -t2 -c"$3" -d"$4s" --latency -s "$LUA" "$1" > "$f" 2>&1 || true
  echo "$f"
}

log_sizes() { # byte offsets of the stand-ins' access logs
  local i; for i in 1 2 3 4; do stat -c %s "$BENCH_DIR/nginx/b$i.log" 2>/dev/null || echo 0; done | paste -sd' '
}

standin_counts() { # offsets before: "requests:bytes" per stand-in since then
  local i off
  for i in 1 2 3 4; do
    off=$(echo "$1" | cut -d' ' -f"$i")
    tail -c +"$((off + 1))" "$BENCH_DIR/nginx/b$i.log" 2>/dev/null | awk '{n++; s+=$1} END {printf "%d:%.0f\n", n, s}'
  done | paste -sd' '
}

shard_points() { # port -> "s1 s2" points routed so far (0 0 without shards)
  curl -s "http://127.0.0.1:$1/metrics" | awk '
    /^relay_shard_points_total\{/ { if ($0 ~ /shard="s1"/) a = $NF; if ($0 ~ /shard="s2"/) b = $NF }
    END { printf "%d %d\n", a, b }'
}

declare -A PORT PID
order() { [ "$1" = "two-mixed" ] && echo interleaved || echo grouped; }

start_layouts() { # a fresh relay per layout, each warmed alike
  local layout pr
  for layout in $LAYOUTS; do
    pr=$(free_port)
    local all=("http://127.0.0.1:${ports[0]}" "http://127.0.0.1:${ports[1]}" "http://127.0.0.1:${ports[2]}" "http://127.0.0.1:${ports[3]}")
    case "$layout" in
      one) start_relay "$pr" "${all[@]:0:2}" ;;
      one4) start_relay "$pr" "${all[@]}" ;;
      *) RELAY_FLAGS="${RELAY_FLAGS:-} -Drelay.shards=s1,s2 -Drelay.shard.s1.backends=b1,b2 -Drelay.shard.s2.backends=b3,b4 -Drelay.shard-key=db,measurement" \
           start_relay "$pr" "${all[@]}" ;;
    esac
    PORT[$layout]=$pr; PID[$layout]=$RELAY_PID; pin_relay "$RELAY_PID"
    echo "start $1, layout $layout: relay answered its first /ping $(python3 -c "print(f'{$RELAY_READY - $RELAY_LAUNCHED:.2f}')") s after start"
  done
  for layout in $LAYOUTS; do
    echo "start $1, layout $layout: warming up ${WARM} s"
    ORDER=$(order "$layout") run_wrk "http://127.0.0.1:${PORT[$layout]}" warm 16 "$WARM" > /dev/null
    [ -z "${PROFILE:-}" ] || jcmd "${PID[$layout]}" JFR.start name=shards settings=profile > /dev/null
  done
}

stop_layouts() { # the profiles written, the relays stopped
  local layout
  for layout in $LAYOUTS; do
    if [ -n "${PROFILE:-}" ]; then
      mkdir -p "$PROFILE"
      jcmd "${PID[$layout]}" JFR.dump name=shards filename="$(readlink -f "$PROFILE")/$layout-$1.jfr" > /dev/null
    fi
    stop_pid "${PID[$layout]}"
  done
}

for start in $(seq 1 "$STARTS"); do
  start_layouts "$start"
  for round in $(seq 1 "$ROUNDS"); do
    for layout in $LAYOUTS; do
      pr=${PORT[$layout]}; pid=${PID[$layout]}; ORDER=$(order "$layout")
      for conns in $CONNS; do
        run_wrk "http://127.0.0.1:$pr" warm "$conns" "$CELL_WARM" > /dev/null
        logs0=$(log_sizes); read -r p1a p2a < <(shard_points "$pr")
        rssf="$BENCH_DIR/rss-$RANDOM"; echo 0 > "$rssf"; touch "$rssf.on"
        sample_rss "$pid" "$rssf" & sampler=$!
        cpu0=$(cpu_seconds "$pid"); jit0=$(jit_cpu_seconds "$pid")
        f=$(run_wrk "http://127.0.0.1:$pr" shards "$conns" "$DURATION")
        cpu1=$(cpu_seconds "$pid"); jit1=$(jit_cpu_seconds "$pid")
        rm -f "$rssf.on"; wait "$sampler" 2>/dev/null || true
        read -r p1b p2b < <(shard_points "$pr")
        sleep 0.5 # the last answers' log lines
        echo "$start.$round $layout $conns $f $(python3 -c "print($cpu1 - $cpu0, $jit1 - $jit0)") $(cat "$rssf") $((p1b - p1a)) $((p2b - p2a)) $(standin_counts "$logs0")" >> "$OUT"
      done
    done
  done
  stop_layouts "$start"
done

python3 - "$OUT" "$BATCH" <<'PY'
import re, statistics, sys
def wrk(path):
    t = open(path).read()
    if "Latency Distribution" not in t:
        sys.exit(f"wrk gave no figures ({path}):\n{t}")
    def dur(s):
        m = re.match(r"([\d.]+)(us|ms|s|m)", s)
        v, u = float(m.group(1)), m.group(2)
        return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60000}[u]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    reqs = int(re.search(r"(\d+) requests in", t).group(1))
    non2xx = int(re.search(r"Non-2xx or 3xx responses: (\d+)", t).group(1)) if "Non-2xx" in t else 0
    p50 = dur(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1)); p99 = dur(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1))
    return rps, reqs, non2xx, p50, p99
batch = int(sys.argv[2])
rows = [l.split() for l in open(sys.argv[1])]
cost, steady = {}, {}
for r in rows:
    rps, reqs, *_ = wrk(r[3])
    cost[(r[0], r[1], r[2])] = float(r[4]) * 1e6 / (reqs * batch)
    steady[(r[0], r[1], r[2])] = (float(r[4]) - float(r[5])) * 1e6 / (reqs * batch)
print(f"batch {batch} points (50 measurements, {batch // 50} each); stand-in counts are requests / MB of body (Content-Length)")
print("| start.round | layout | conns | req/s | points/s | p50 / p99 ms | non-2xx | relay CPU-s per M points: all (JIT compiling) | vs one: all | vs one: steady | peak RSS MB | points s1 / s2 (share of s1) | stand-ins b1 b2 b3 b4: requests / MB |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
ratios = {}
for rnd, layout, conns, f, cpu, jit, rss, p1, p2, *stand in rows:
    rps, reqs, non2xx, p50, p99 = wrk(f)
    key, base = (rnd, layout, conns), (rnd, "one", conns)
    c, jitc = cost[key], cost[key] - steady[key]
    vs = f"{c / cost[base]:.2f}" if base in cost else "-"
    vs_steady = f"{steady[key] / steady[base]:.2f}" if base in steady else "-"
    if base in steady and layout != "one":
        ratios.setdefault((layout, conns), []).append(steady[key] / steady[base])
    p1, p2 = int(p1), int(p2)
    shards = f"{p1:,} / {p2:,} ({p1 / (p1 + p2):.1%})" if p1 + p2 else "- (one shard)"
    sc = ", ".join(f"{int(s.split(':')[0]):,} / {int(s.split(':')[1]) / 1e6:,.0f}" for s in stand)
    print(f"| {rnd} | {layout} | {conns} | {rps:,.0f} | {rps * batch:,.0f} | {p50:.2f} / {p99:.2f} | {non2xx} | {c:.3f} ({jitc:.3f}) | {vs} | {vs_steady} | {rss} | {shards} | {sc} |")
print()
print("| layout | conns | vs one, steady: median (min - max) over cells |")
print("|---|---|---|")
for (layout, conns), rs in sorted(ratios.items()):
    rs = sorted(rs)
    median = statistics.median(rs)
    n = len(rs)
    print(f"| {layout} | {conns} | {median:.2f} ({rs[0]:.2f} - {rs[-1]:.2f}), {n} cells |")
PY
