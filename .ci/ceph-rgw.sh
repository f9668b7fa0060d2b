#!/usr/bin/env bash
# A throwaway single-node Ceph cluster (one mon, one memstore OSD, one radosgw) on 127.0.0.1, for the
# S3 store's tests against a real Ceph RGW. Everything lives under DIR; nothing is installed or started
# system-wide, and it runs as any user.
#
#   .ci/ceph-rgw.sh start DIR   brings it up and writes DIR/endpoint.properties
#                               (endpoint, accessKey, secretKey, bucket); the bucket itself is created
#                               by the tests' fixture (CephRgw), which signs its requests with the SDK
#   .ci/ceph-rgw.sh stop DIR    kills the daemons it started (by their pid files) and removes DIR
#
# DIR must be missing, empty, or an earlier cluster's (start replaces that one); any other directory is
# refused, never removed. With CEPH_RGW_OWNER_PID set, a watcher stops the cluster once that process
# has gone, so a test JVM killed without running its shutdown hooks leaves no daemons behind.
#
# Needs Debian's radosgw, ceph-mon and ceph-osd (apt-get install --no-install-recommends radosgw
# ceph-mon ceph-osd). If a daemon does not come up within CEPH_RGW_TIMEOUT seconds (60), it prints the
# tails of the daemons' logs, kills them and fails.
set -euo pipefail

ACCESS_KEY="ceph-test-access"
SECRET_KEY="ceph-test-secret"
BUCKET="uploads"
TIMEOUT="${CEPH_RGW_TIMEOUT:-60}"
SCRIPT="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
# The ceph CLI is Python; use the system's, whatever python3 comes first on PATH (pyenv shims...).
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

log() {
  echo "ceph-rgw: $*" >&2
}

# Seconds since start, with tenths, for the log lines.
elapsed() {
  local now
  now=$(date +%s%N)
  printf '%d.%d' $(((now - STARTED) / 1000000000)) $((((now - STARTED) / 100000000) % 10))
}

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The pid in a pid file if that process is alive and is one of this cluster's daemons (its command
# line names this cluster's config), so a stale file never gets another process killed.
live_pid() {
  local file="$1" pid
  [ -s "$file" ] || return 1
  pid=$(cat "$file")
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$CONF" || return 1
  echo "$pid"
}

# Alive and not a zombie (init may take a second to reap the daemons, which are its children).
running() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2> /dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

kill_daemons() {
  local pids=() file pid i
  for file in "$DIR"/run/*.pid; do
    [ -e "$file" ] || continue
    if pid=$(live_pid "$file"); then
      pids+=("$pid")
    fi
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  # KILL, not TERM: nothing is kept, and a memstore OSD told to stop first writes everything it holds
  # to its directory (7 s when empty).
  kill -KILL "${pids[@]}" 2> /dev/null || true
  for i in $(seq 1 50); do
    local alive=()
    for pid in "${pids[@]}"; do
      if running "$pid"; then
        alive+=("$pid")
      fi
    done
    [ ${#alive[@]} -gt 0 ] || return 0
    pids=("${alive[@]}")
    sleep 0.1
  done
  log "processes ${pids[*]} still there 5 s after KILL"
}

fail() {
  local file
  log "FAILED after $(elapsed) s: $*"
  for file in "$DIR"/log/*.log "$DIR"/log/*.out; do
    [ -s "$file" ] || continue
    echo "----- tail of $file" >&2
    tail -n 40 "$file" >&2
  done
  kill_daemons
  log "daemons stopped; logs kept in $DIR/log (stop removes them)"
  exit 1
}

# Waits until the command succeeds, or fails with the message after the deadline.
await() {
  local what="$1"
  shift
  until "$@" > /dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$DEADLINE" ]; then
      fail "$what within $TIMEOUT s"
    fi
    sleep 0.2
  done
}

# -c: every invocation uses this cluster's config only; a short timeout so a wait loop spins.
ceph_cli() {
  ceph -c "$CONF" --connect-timeout 5 "$@"
}

osd_up() {
  ceph_cli osd dump | grep -q '^osd\.0 up'
}

s3_answers() {
  "$PYTHON" - "$1" << 'EOF'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
    response.read()
    sys.exit(0 if response.status == 200 else 1)
EOF
}

write_config() {
  local mon_port="$1" rgw_port="$2" fsid="$3"
  cat > "$CONF" << EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
mon initial members = a
public addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
# No keys at all; and without the crc modes radosgw hangs for rgw_init_timeout (300 s) at start.
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = true
ms cluster mode = crc secure
ms service mode = crc secure
ms client mode = crc secure
ms mon cluster mode = crc secure
ms mon service mode = crc secure
ms mon client mode = crc secure
keyring = /dev/null
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
crash dir = $DIR/crash
log to stderr = false
err to stderr = false
# One OSD: pools of one replica, placed on any OSD, few placement groups, no autoscaler (no mgr).
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
# One mon alone: commit each change at once, not in batches a second apart (radosgw's start makes a
# dozen osdmap changes one after the other: 9 s instead of under 1 s).
paxos propose interval = 0.01
paxos min wait = 0.01
# The disk may be fuller than a production mon likes.
mon data avail crit = 1
mon data avail warn = 2

[mon]
mon data = $DIR/mon/\$cluster-\$id

[osd]
osd data = $DIR/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 4294967296
osd max object size = 134217728

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $DIR/rgw
rgw init timeout = $TIMEOUT
rgw enable usage log = false
rgw dns name = 127.0.0.1
EOF
}

start() {
  if [ -s "$DIR/endpoint.properties" ] && live_pid "$DIR/run/client.rgw.a.pid" > /dev/null; then
    log "already running: $(grep endpoint= "$DIR/endpoint.properties")"
    return 0
  fi
  command -v radosgw > /dev/null && command -v ceph-mon > /dev/null && command -v ceph-osd > /dev/null || {
    log "radosgw, ceph-mon and ceph-osd are not installed:"
    log "  sudo apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd"
    exit 1
  }
  ours_or_refuse
  kill_daemons
  rm -rf "$DIR"
  mkdir -p "$DIR"/{run,log,crash,mon,osd/ceph-0,rgw}
  absolute_dir
  STARTED=$(date +%s%N)
  DEADLINE=$(($(date +%s) + TIMEOUT))

  local mon_port rgw_port fsid osd_uuid endpoint
  mon_port=$(free_port)
  rgw_port=$(free_port)
  fsid=$(cat /proc/sys/kernel/random/uuid)
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  write_config "$mon_port" "$rgw_port" "$fsid"
  endpoint="http://127.0.0.1:$rgw_port"

  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$DIR/monmap" \
    > "$DIR/log/monmaptool.out" 2>&1 || fail "monmaptool"
  ceph-mon -c "$CONF" -i a --mkfs --monmap "$DIR/monmap" > "$DIR/log/mon-mkfs.out" 2>&1 || fail "mon mkfs"
  ceph-mon -c "$CONF" -i a > "$DIR/log/mon.out" 2>&1 || fail "mon start"
  await "the mon answering" ceph_cli mon stat
  log "mon up on 127.0.0.1:$mon_port at $(elapsed) s"

  local osd_id
  osd_id=$(ceph_cli osd new "$osd_uuid" 2> "$DIR/log/osd-new.out") || fail "osd new"
  [ "$osd_id" = 0 ] || fail "osd new gave id '$osd_id', expected 0"
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" > "$DIR/log/osd-mkfs.out" 2>&1 || fail "osd mkfs"
  ceph-osd -c "$CONF" -i 0 > "$DIR/log/osd.out" 2>&1 || fail "osd start"
  # radosgw creates its pools at start; they become usable as soon as the OSD is up.
  radosgw -c "$CONF" -n client.rgw.a > "$DIR/log/rgw.out" 2>&1 || fail "radosgw start"
  await "the OSD up" osd_up
  log "osd up at $(elapsed) s"
  await "radosgw answering at $endpoint" s3_answers "$endpoint"
  log "radosgw answers at $endpoint at $(elapsed) s"

  radosgw-admin -c "$CONF" user create --uid=test --display-name=test \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" > "$DIR/log/user-create.out" 2>&1 \
    || fail "radosgw-admin user create"
  cat > "$DIR/endpoint.properties.tmp" << EOF
endpoint=$endpoint
accessKey=$ACCESS_KEY
secretKey=$SECRET_KEY
bucket=$BUCKET
EOF
  mv "$DIR/endpoint.properties.tmp" "$DIR/endpoint.properties"
  if [ -n "${CEPH_RGW_OWNER_PID:-}" ]; then
    # Its own session, so a Ctrl-C to the owner's terminal does not take the watcher with it.
    setsid bash "$SCRIPT" watch "$DIR" "$CEPH_RGW_OWNER_PID" < /dev/null > /dev/null 2>&1 &
  fi
  log "ready at $(elapsed) s: $DIR/endpoint.properties"
}

stop() {
  [ -d "$DIR" ] || return 0
  ours_or_refuse
  kill_daemons
  rm -rf "$DIR"
}

# Stops the cluster when the owner has gone; ends by itself when someone else stopped it first.
watch() {
  local owner="$1"
  while kill -0 "$owner" 2> /dev/null && [ -e "$CONF" ]; do
    sleep 1
  done
  if [ -e "$CONF" ]; then
    stop
  fi
}

# Only a missing or empty directory, or one holding a cluster's config, may be (re)moved.
ours_or_refuse() {
  if [ -d "$DIR" ] && [ ! -e "$CONF" ] && [ -n "$(ls -A "$DIR")" ]; then
    log "$DIR is not empty and holds no ceph.conf: refusing to remove it"
    exit 2
  fi
}

# The daemons are given absolute paths, which is what live_pid looks for in their command lines.
absolute_dir() {
  DIR=$(cd "$DIR" && pwd)
  CONF="$DIR/ceph.conf"
}

[ $# -ge 2 ] || usage
DIR="$2"
CONF="$DIR/ceph.conf"
[ ! -d "$DIR" ] || absolute_dir
STARTED=$(date +%s%N)
case "$1" in
  start) start ;;
  stop) stop ;;
  watch) [ $# -eq 3 ] || usage; watch "$3" ;;
  *) usage ;;
esac
