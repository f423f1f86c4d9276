#!/usr/bin/env bash
# Start-up of bin/relay with its default settings (management port on): seconds from launch to the first
# answered /ping, and resident memory then, with the class-data-sharing archive (RELAY_CDS=on) and
# without (off), interleaved, RUNS pairs (default 4). The first run trains the archive (not counted).
# /ping is polled by one light process every 20 ms, so that polling does not slow the start it times.
# Every run has the same settings (ports, paths), so bin/relay's memory flags are worked out once.
#   bench/startup.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
RUNS=${RUNS:-4}

# the same ports and paths every time, as an operator's relay restarts with the same settings (bin/relay
# keeps the memory flags it works out for them)
port=$(free_port); mgmt=$(free_port); home="$BENCH_DIR/home"
start_once() { # RELAY_CDS value -> "seconds rss_mb"
  local pid t0 t1 rss
  rm -rf "$home"; mkdir -p "$home"
  t0=$(date +%s.%N)
  RELAY_CDS=$1 "$ROOT/bin/relay" -Drelay.http.host=127.0.0.1 -Drelay.http.port="$port" \
    -Drelay.management.port="$mgmt" -Drelay.udp.port=0 -Drelay.recovery.ledger="$home/ledger.json" \
    -Drelay.dead-letter.dir="$home/dead-letter" > "$home/relay.log" 2>&1 &
  pid=$!
  python3 - "$port" <<'PY'
import socket, sys, time
while True:
    try:
        with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
            s.sendall(b"GET /ping HTTP/1.1\r\nHost: relay\r\n\r\n")
            if b" 204 " in s.recv(64):
                break
    except OSError:
        pass
    time.sleep(0.02)
PY
  t1=$(date +%s.%N)
  rss=$(( $(ps -o rss= -p "$pid") / 1024 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(python3 -c "print(f'{$t1 - $t0:.2f}')") $rss"
}

start_once on > /dev/null # trains the archive, if this build has none yet
echo "| run | without archive: first /ping s | RSS MB | with archive: first /ping s | RSS MB |"
echo "|---|---|---|---|---|"
for i in $(seq 1 "$RUNS"); do
  read -r off_s off_rss < <(start_once off)
  read -r on_s on_rss < <(start_once on)
  echo "| $i | $off_s | $off_rss | $on_s | $on_rss |"
done
