#!/usr/bin/env bash
# Sustained UDP through the relay to two real influxd: RATE datagrams/s of POINTS lines for SECONDS
# (default 2000 x 100 for 10 s). Prints lines sent, lines the relay read, lines each backend stored
# (loss), and the relay's CPU.
#   bench/udp.sh            RATE=2000 POINTS=100 DURATION=10
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
RATE=${RATE:-2000}; POINTS=${POINTS:-100}; SECONDS_=${DURATION:-10}

pa=$(free_port); pb=$(free_port); pr=$(free_port); pu=$(free_port)
start_influxd a "$pa"; start_influxd b "$pb"
create_db "$pa" udp; create_db "$pb" udp
RELAY_UDP_PORT=$pu RELAY_FLAGS="-Drelay.udp.host=127.0.0.1 -Drelay.udp.read-buffer=8388608" \
  start_relay "$pr" "http://127.0.0.1:$pa" "http://127.0.0.1:$pb"
echo "relay on $pr (udp $pu), influxd on $pa and $pb; $RATE datagrams/s x $POINTS lines for ${SECONDS_}s"

cpu0=$(cpu_seconds "$RELAY_PID")
sent=$(python3 "$(dirname "$0")/udp-send.py" 127.0.0.1 "$pu" "$RATE" "$POINTS" "$SECONDS_")
sleep 1
cpu1=$(cpu_seconds "$RELAY_PID")
# wait until the backends stop growing
prev=-1
while :; do
  na=$(count_points "$pa" udp udpload); nb=$(count_points "$pb" udp udpload)
  [ "$na" = "$prev" ] && break
  prev=$na; sleep 1
done
read_lines=$(curl -s "http://127.0.0.1:$pr/metrics" | awk '/^relay_udp_lines_total/ {print int($2)}')
python3 - "$sent" "$read_lines" "$na" "$nb" "$cpu0" "$cpu1" <<'PY'
import sys
sent, read, a, b = (int(x) for x in sys.argv[1:5])
cpu = float(sys.argv[6]) - float(sys.argv[5])
print(f"lines sent: {sent:,}; read by the relay: {read:,} ({100 * (sent - read) / sent:.2f}% lost before the relay)")
print(f"stored: a={a:,} b={b:,} (loss {100 * (sent - a) / sent:.2f}% / {100 * (sent - b) / sent:.2f}%)")
print(f"relay CPU while sending: {cpu:.1f} s ({cpu * 1e6 / max(read, 1):.2f} CPU-s per million lines)")
PY
