#!/usr/bin/env bash
# The relay's cost on the read path, against real InfluxDB: two influxd holding the same points, the
# relay in front of both. wrk sends the same SELECT (about 1000 points back) over CONNS connections for
# DURATION s, straight to one influxd and through the relay: requests/s, p50/p99, non-2xx, relay
# CPU-ms per request. Then a large result (LARGE points, streamed) read once straight and once through
# the relay: MB/s, and the relay's peak RSS. Ratios are relay/direct, measured in the same run.
#   bench/query.sh
# Env: DURATION (15), WARM (10, seconds of the same load through the relay before measuring),
# CONNS ("4 16"), LARGE (2000000)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
DURATION=${DURATION:-15}; WARM=${WARM:-10}; CONNS=${CONNS:-"4 16"}; LARGE=${LARGE:-2000000}

pa=$(free_port); pb=$(free_port); pr=$(free_port)
start_influxd a "$pa"; start_influxd b "$pb"
start_relay "$pr" "http://127.0.0.1:$pa" "http://127.0.0.1:$pb"
create_db "$pr" bench

# the data, through the relay so both servers hold it: 1000 points of cpu, LARGE points of big
python3 - "$pr" "$LARGE" <<'PY'
import sys, urllib.request
port, large = int(sys.argv[1]), int(sys.argv[2])
def post(lines):
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/write?db=bench&precision=s",
                           data="\n".join(lines).encode(), method="POST")).read()
post([f"cpu,host=h{i % 10} usage={i * 0.1},n={i}i {1600000000 + i}" for i in range(1000)])
for start in range(0, large, 50000):
    post([f"big,host=h{i % 50} v={i},s=\"value {i}\" {1600000000 + i}" for i in range(start, min(large, start + 50000))])
PY
for p in "$pa" "$pb"; do
  for _ in $(seq 1 100); do [ "$(count_points "$p" bench big)" = "$LARGE" ] && break; sleep 0.2; done
done

q="q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("SELECT * FROM cpu"))')&db=bench"
run_wrk() { # url conns -> wrk output file
  local f="$BENCH_DIR/wrk-$RANDOM.txt"
  wrk -t2 -c"$2" -d"${DURATION}s" --latency "$1/query?$q" > "$f" 2>&1 || true
  echo "$f"
}
field() { # wrk-file what
  case $2 in
    rps) awk '/Requests\/sec/ {print $2}' "$1" ;;
    p50) awk '$1=="50%" {print $2}' "$1" ;;
    p99) awk '$1=="99%" {print $2}' "$1" ;;
    non2xx) awk '/Non-2xx/ {print $5}' "$1" | grep . || echo 0 ;;
    requests) awk '/requests in/ {print $1}' "$1" ;;
  esac
}
ms() { python3 -c "import sys,re; v=sys.argv[1]; m=re.match(r'([0-9.]+)(us|ms|s|m)', v); print(float(m.group(1))*{'us':0.001,'ms':1,'s':1000,'m':60000}[m.group(2)])" "$1"; }

wrk -t2 -c16 -d"${WARM}s" "http://127.0.0.1:$pr/query?$q" > /dev/null 2>&1 || true
printf '%-6s %12s %12s %6s %10s %10s %6s %10s %10s %8s %14s\n' conns direct_rps relay_rps ratio \
  direct_p50 relay_p50 direct_p99 relay_p99 p99_ratio non2xx relay_cpu_ms/req
for c in $CONNS; do
  d=$(run_wrk "http://127.0.0.1:$pa" "$c")
  cpu0=$(cpu_seconds "$RELAY_PID"); r=$(run_wrk "http://127.0.0.1:$pr" "$c"); cpu1=$(cpu_seconds "$RELAY_PID")
  printf '%-6s %12s %12s %6.2f %10s %10s %10s %10s %8.2f %8s %14.3f\n' "$c" "$(field "$d" rps)" "$(field "$r" rps)" \
    "$(python3 -c "print($(field "$r" rps) / $(field "$d" rps))")" "$(field "$d" p50)" "$(field "$r" p50)" \
    "$(field "$d" p99)" "$(field "$r" p99)" "$(python3 -c "print($(ms "$(field "$r" p99)") / $(ms "$(field "$d" p99)"))")" \
    "$(field "$r" non2xx)" "$(python3 -c "print(($cpu1 - $cpu0) * 1000 / $(field "$r" requests))")"
done

# a large result, streamed: MB/s straight and through the relay, and the relay's peak RSS meanwhile
large() { # port -> "bytes seconds"
  curl -s -o /dev/null -w '%{size_download} %{time_total}\n' "http://127.0.0.1:$1/query" \
    --data-urlencode "db=bench" --data-urlencode "q=SELECT * FROM big"
}
read -r db ds <<< "$(large "$pa")"
rss0=$(rss_mb "$RELAY_PID"); peak=$rss0
large "$pr" > "$BENCH_DIR/large.txt" & lp=$!
while kill -0 "$lp" 2>/dev/null; do r=$(rss_mb "$RELAY_PID"); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.1; done
read -r rb rs < "$BENCH_DIR/large.txt"
echo
printf 'large result (%s points): direct %.0f MB in %.2f s = %.1f MB/s; relay %.0f MB in %.2f s = %.1f MB/s; ratio %.2f; relay RSS %s -> peak %s MB\n' \
  "$LARGE" "$(python3 -c "print($db/1e6)")" "$ds" "$(python3 -c "print($db/1e6/$ds)")" \
  "$(python3 -c "print($rb/1e6)")" "$rs" "$(python3 -c "print($rb/1e6/$rs)")" \
  "$(python3 -c "print(($rb/$rs)/($db/$ds))")" "$rss0" "$peak"
