# Shared by the benchmark scripts: real influxd and relay processes on loopback, stopped by pid on exit.
# Source it; call bench_init first.

bench_init() {
  BENCH_DIR=$(mktemp -d /tmp/relay-bench.XXXXXX)
  BENCH_PIDS=()
  trap bench_cleanup EXIT
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  # BENCH_JAR: another build to measure (a copy of the jar before a change), taken as it is
  JAR=$(readlink -f "${BENCH_JAR:-$ROOT/target/influxdb-relay.jar}")
  command -v influxd >/dev/null || { echo "influxd missing: apt-get install influxdb" >&2; exit 1; }
  command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
  if [ -z "${BENCH_JAR:-}" ] && { [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/src" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; }; then
    (cd "$ROOT" && mvn -B -ntp -q -DskipTests package)
  fi
}

bench_cleanup() {
  for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BENCH_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$BENCH_DIR"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # url
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2; return 1
}

# start_influxd NAME PORT: data in $BENCH_DIR/NAME; sets INFLUXD_PID_<NAME>
start_influxd() {
  local name=$1 port=$2 dir="$BENCH_DIR/$1"
  mkdir -p "$dir"
  if [ ! -f "$dir/influxd.conf" ]; then
    cat > "$dir/influxd.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$(free_port)"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$port"
  log-enabled = false
[continuous_queries]
  enabled = false
CONF
  fi
  influxd run -config "$dir/influxd.conf" > "$dir/influxd.log" 2>&1 &
  local pid=$!
  BENCH_PIDS+=("$pid")
  eval "INFLUXD_PID_$name=$pid"
  wait_http "http://127.0.0.1:$port/ping"
}

# start_standins PORT...: one nginx answering 204 at once to everything on each PORT (the relay's own
# cost, without a database's). STANDIN_STATUS_PORT: a port serving nginx's stub_status as well;
# STANDIN_LOG_LENGTHS=1: the i-th stand-in logs the Content-Length of each request to $BENCH_DIR/nginx/b<i>.log
start_standins() {
  command -v nginx >/dev/null || { echo "nginx missing: apt-get install nginx-light" >&2; exit 1; }
  mkdir -p "$BENCH_DIR/nginx"
  local i=0 port log
  {
    cat <<CONF
worker_processes 1;
pid $BENCH_DIR/nginx/nginx.pid;
error_log $BENCH_DIR/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  log_format len '\$content_length';
  client_body_temp_path $BENCH_DIR/nginx/body;
  client_body_buffer_size 1m;
  client_max_body_size 50m;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
CONF
    for port in "$@"; do
      i=$((i + 1)); log=""
      [ -z "${STANDIN_LOG_LENGTHS:-}" ] || log=" access_log $BENCH_DIR/nginx/b$i.log len;"
      echo "  server { listen 127.0.0.1:$port;$log location / { return 204; } }"
    done
    [ -z "${STANDIN_STATUS_PORT:-}" ] || echo "  server { listen 127.0.0.1:$STANDIN_STATUS_PORT; location / { stub_status; } }"
    echo "}"
  } > "$BENCH_DIR/nginx/nginx.conf"
  nginx -c "$BENCH_DIR/nginx/nginx.conf"
  BENCH_PIDS+=("$(cat "$BENCH_DIR/nginx/nginx.pid")")
  for port in "$@"; do wait_http "http://127.0.0.1:$port/"; done
}

stop_pid() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null || true; }

# start_relay PORT BACKEND_URL... (extra -D flags in RELAY_FLAGS); sets RELAY_PID. Launched by bin/relay
# (RELAY_JAR=$JAR), so it runs with the default settings an operator gets: memory flags and the
# class-data-sharing archive, which the first relay of a jar trains in a run of its own.
start_relay() {
  local port=$1; shift
  local home="$BENCH_DIR/relay-$port" names=() i=0
  mkdir -p "$home/config"
  cp -r "${RELAY_ROUTES:-$ROOT/routes}" "$home/routes"
  {
    echo "relay.http.host=127.0.0.1"
    echo "relay.http.port=$port"
    echo "relay.management.port=${RELAY_MANAGEMENT_PORT:-0}"
    echo "relay.udp.port=${RELAY_UDP_PORT:-0}"
    for url in "$@"; do
      i=$((i + 1)); names+=("b$i")
      echo "relay.backend.b$i.url=$url"
    done
    echo "relay.backends=$(IFS=,; echo "${names[*]}")"
  } > "$home/config/application.properties"
  if [ -z "$(find "$(dirname "$JAR")" -maxdepth 1 -name "$(basename "$JAR" .jar)-*.jsa*" -newer "$JAR" -print -quit)" ]; then
    launch_relay "$port" "$home"
    stop_pid "$RELAY_PID" # writes the archive as it exits
  fi
  RELAY_LAUNCHED=$(date +%s.%N)
  launch_relay "$port" "$home"
  RELAY_READY=$(date +%s.%N)
}

launch_relay() { # port home
  # shellcheck disable=SC2086
  RELAY_HOME="$2" RELAY_JAR="$JAR" "$ROOT/bin/relay" ${RELAY_FLAGS:-} >> "$2/relay.log" 2>&1 &
  RELAY_PID=$!
  BENCH_PIDS+=("$RELAY_PID")
  wait_http "http://127.0.0.1:$1/ping"
}

create_db() { # port db
  curl -s -XPOST "http://127.0.0.1:$1/query" --data-urlencode "q=CREATE DATABASE $2" > /dev/null
}

count_points() { # port db measurement
  curl -s "http://127.0.0.1:$1/query" --data-urlencode "db=$2" --data-urlencode "q=SELECT count(v) FROM $3" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; print(r["series"][0]["values"][0][1] if "series" in r else 0)'
}

rss_mb() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }

cpu_seconds() { # utime+stime of a pid, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

# jit_cpu_seconds PID: utime+stime of the JVM's JIT compiler threads (C1, C2) alive now, in seconds. They
# compile the hot paths for a minute or more under load and then idle: a one-off cost, like start-up's,
# that a steady-state figure leaves out (cpu_seconds minus this).
jit_cpu_seconds() {
  local t total=0
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      C1\ CompilerThre*|C2\ CompilerThre*) total=$((total + $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}'))) ;;
    esac
  done
  echo "$total $(getconf CLK_TCK)" | awk '{print $1 / $2}'
}

# sample_rss PID FILE: highest resident memory in MB, until the file flag is removed
sample_rss() {
  local max=0 r
  while [ -f "$2.on" ]; do
    r=$(rss_mb "$1" 2>/dev/null || echo 0)
    [ "$r" -gt "$max" ] && max=$r && echo "$max" > "$2"
    sleep 0.2
  done
}
