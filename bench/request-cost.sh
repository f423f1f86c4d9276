#!/usr/bin/env bash
# What one backend request costs the relay, in parts (java probes in bench/probes, compiled against the
# relay's jar):
#   RequestCost: CPU per POST through camel-netty-http's producer (the endpoint options and answer binding
#     the relay used before its own client), through the relay's own client (BackendPost), and through
#     netty's bare HTTP client, to an nginx stand-in that answers 204, 16 in flight, for bodies of SIZES
#     bytes: the HTTP client's own overhead, and what moving the bytes costs either way;
#   BranchCost: CPU per fan-out of 1, 2 and 4 branches shaped like the relay's recipientList branches,
#     without HTTP: Camel's routing of a backend request;
#   SplitCost: time on one thread to scan a Telegraf-like write of 1000 points over 50 measurements, alone
#     and with the splitter of two shards (each shard's part as ranges of the write, as the relay sends it,
#     and copied out into an array of its own, as it did before), grouped and interleaved: what splitting
#     adds before any request is sent.
#   bench/request-cost.sh
# Env: SIZES ("100 25000 100000"), DURATION (20), ROUNDS (2).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init
SIZES=${SIZES:-"100 25000 100000"}; DURATION=${DURATION:-20}; ROUNDS=${ROUNDS:-2}
classes="$BENCH_DIR/probes"; mkdir -p "$classes"
javac -d "$classes" -cp "$JAR" "$ROOT"/bench/probes/*.java
port=$(free_port)
start_standins "$port"
for round in $(seq 1 "$ROUNDS"); do
  for size in $SIZES; do
    for client in camel relay netty; do
      java -Xmx256m -cp "$JAR:$classes" RequestCost "$client" "$port" "$DURATION" "$size" 2>&1 | grep "us CPU per"
    done
  done
  for k in 1 2 4; do java -Xmx256m -cp "$JAR:$classes" BranchCost "$k" 2>&1 | grep "us CPU per"; done
  for order in grouped interleaved; do java -Xmx256m -cp "$JAR:$classes" SplitCost "$order" 2>&1 | grep "us per write"; done
done
