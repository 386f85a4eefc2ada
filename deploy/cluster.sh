#!/usr/bin/env bash
# GenLab for a class of hundreds, on one machine: a Ray head, N app replicas and nginx in front of them.
# Every process is started in the foreground of a background job, its PID written to $GENLAB_DEPLOY_DIR,
# and stopped by that PID (never by name).
#
#   bash deploy/cluster.sh start     # prints the class's address and the lecturer link
#   bash deploy/cluster.sh status
#   bash deploy/cluster.sh stop
#
# Settings (environment):
#   GENLAB_REPLICAS=2        app replicas (python app.py), on ports GENLAB_FIRST_PORT, +1, ...
#   GENLAB_FIRST_PORT=8601   GENLAB_LISTEN=8080 (nginx; 0.0.0.0:80 for the lecture hall)
#   GENLAB_RAY_PORT=6379     GENLAB_RAY_CPUS=<all cores>: the training slots Ray hands out
#       (Ray's workers take ports 10002-19999: keep every port above out of that range)
#   GENLAB_MAX_RUNS=<GENLAB_RAY_CPUS>, GENLAB_MAX_QUEUED=8: the cluster-wide cap of training runs
#   GENLAB_DEPLOY_DIR=build/deploy: PIDs, logs, tokens, nginx's folder, and (GENLAB_RUNS_DIR) the runs'
#       checkpoints, which every replica must share (on several machines: a shared file system)
#   PYTHON=python3, RAY=ray, NGINX=nginx: the programs
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
DIR=${GENLAB_DEPLOY_DIR:-$REPO/build/deploy}
REPLICAS=${GENLAB_REPLICAS:-2}
FIRST_PORT=${GENLAB_FIRST_PORT:-8601}
LISTEN=${GENLAB_LISTEN:-8080}
RAY_PORT=${GENLAB_RAY_PORT:-6379}
CPUS=${GENLAB_RAY_CPUS:-$(nproc)}
PY=${PYTHON:-python3}
RAY=${RAY:-ray}
NGINX=${NGINX:-nginx}

secret() {  # a token kept in $DIR (made once; readable by this user only)
  local file=$DIR/$1
  [ -s "$file" ] || (umask 077 && "$PY" -c "import secrets; print(secrets.token_urlsafe(24))" > "$file")
  cat "$file"
}

wait_for() {  # wait_for <seconds> <pidfile> <what> <command...>: until the command succeeds or the process ends
  local limit=$1 pidfile=$2 what=$3; shift 3
  for _ in $(seq 1 $((limit * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$pidfile")" 2>/dev/null || break
    sleep 0.2
  done
  echo "cluster.sh: $what did not come up in ${limit}s; see the logs in $DIR" >&2
  return 1
}

healthy() { "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1"; }

start() {
  mkdir -p "$DIR"
  export RAY_AUTH_MODE=token RAY_AUTH_TOKEN; RAY_AUTH_TOKEN=$(secret ray_token)
  export GENLAB_LECTURER_TOKEN=${GENLAB_LECTURER_TOKEN:-$(secret lecturer_token)}
  export GENLAB_RUNS_DIR=${GENLAB_RUNS_DIR:-$DIR/runs}
  export GENLAB_MAX_RUNS=${GENLAB_MAX_RUNS:-$CPUS}
  export PYTHONPATH=$REPO${PYTHONPATH:+:$PYTHONPATH}  # Ray's workers import GenLab from this checkout
  local t0; t0=$(date +%s.%N)
  "$RAY" start --head --block --port="$RAY_PORT" --num-cpus="$CPUS" --node-ip-address=127.0.0.1 \
    --include-dashboard=false --disable-usage-stats > "$DIR/ray.log" 2>&1 &
  echo $! > "$DIR/ray.pid"
  wait_for 60 "$DIR/ray.pid" "the Ray head" grep -q "Ray runtime started" "$DIR/ray.log"
  echo "Ray head on 127.0.0.1:$RAY_PORT (pid $(cat "$DIR/ray.pid")), up in $("$PY" -c "import time,sys; print(f'{time.time()-float(sys.argv[1]):.1f}')" "$t0") s"
  local ports=()
  for i in $(seq 0 $((REPLICAS - 1))); do
    local port=$((FIRST_PORT + i))
    ports+=("$port")
    GENLAB_RAY_ADDRESS=127.0.0.1:$RAY_PORT "$PY" app.py --server.headless true --server.address 127.0.0.1 \
      --server.port "$port" > "$DIR/app-$i.log" 2>&1 &
    echo $! > "$DIR/app-$i.pid"
  done
  for port in "${ports[@]}"; do
    wait_for 120 "$DIR/app-$((port - FIRST_PORT)).pid" "the app replica on port $port" healthy "http://127.0.0.1:$port/_stcore/health"
  done
  echo "$REPLICAS app replicas on ports ${ports[*]}"
  "$PY" deploy/nginx_conf.py --listen "$LISTEN" --ports "${ports[@]}" --prefix "$DIR/nginx" > /dev/null
  "$NGINX" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" > "$DIR/nginx.log" 2>&1 &
  echo $! > "$DIR/nginx.pid"
  wait_for 30 "$DIR/nginx.pid" "nginx" healthy "http://127.0.0.1:${LISTEN##*:}/_stcore/health"
  echo "nginx on $LISTEN (pid $(cat "$DIR/nginx.pid"))"
  echo "Students open:  http://<this host>:${LISTEN##*:}/gan?shared=true"
  echo "Lecturer opens: http://<this host>:${LISTEN##*:}/gan?shared=true&lecturer=$GENLAB_LECTURER_TOKEN"
}

descendants() {  # the PIDs of every process below <pid>
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$child"; descendants "$child"; done
}

stop_pid() {  # stop_pid <pidfile> [seconds]: SIGTERM, time to finish (default 20 s), then SIGKILL for it
  local file=$1 limit=${2:-20} pid below  # and for every process it started that is still there
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    below=$(descendants "$pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((limit * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    for p in $pid $below; do kill -KILL "$p" 2>/dev/null || true; done
  fi
  rm -f "$file"
}

stop() {
  # the proxy first (no new requests), then the replicas, then the cluster: a terminated `ray start --block`
  # drains its node for up to 30 s (runs write their checkpoints), then stops its processes
  stop_pid "$DIR/nginx.pid"
  for file in "$DIR"/app-*.pid; do [ -e "$file" ] && stop_pid "$file"; done
  stop_pid "$DIR/ray.pid" "${GENLAB_RAY_DRAIN_S:-35}"
  echo "stopped"
}

status() {
  for file in "$DIR"/ray.pid "$DIR"/app-*.pid "$DIR"/nginx.pid; do
    [ -e "$file" ] || continue
    local pid; pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then echo "$(basename "$file" .pid): running (pid $pid)"
    else echo "$(basename "$file" .pid): not running (pid $pid)"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: bash deploy/cluster.sh start|stop|status" >&2; exit 2 ;;
esac
