#!/usr/bin/env bash
# A throw-away single-node Ceph cluster (one monitor, one in-memory OSD) with a RADOS Gateway in
# front: a real S3 server, signatures and multipart included, for the storage tests.
# usage: radosgw.sh start DIR PORT ACCESS_KEY SECRET_KEY | radosgw.sh stop DIR
set -euo pipefail
command=$1 dir=$2

if [ "$command" = stop ]; then
  # Everything lives in memory and is thrown away: no need for a graceful shutdown.
  for pidfile in "$dir"/*.pid; do [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true; done
  exit 0
fi

port=$3 access_key=$4 secret_key=$5
# On any failure: say which step, show the daemons' last words, and leave nothing running.
trap 'echo "radosgw.sh: line $LINENO failed: $BASH_COMMAND" >&2; tail -n 15 "$dir"/log/*.log >&2 || true; bash "$0" stop "$dir"' ERR
for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install ceph-mon ceph-osd radosgw" >&2; exit 3; }
done
mkdir -p "$dir"/{mon,osd,run,log}
mon_port=$((port + 1))
fsid=$(cat /proc/sys/kernel/random/uuid)
conf=$dir/ceph.conf
cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$mon_port
public network = 127.0.0.0/8
auth cluster required = none
auth service required = none
auth client required = none
run dir = $dir/run
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
pid file = $dir/\$name.pid
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
osd crush chooseleaf type = 0
[mon.a]
mon data = $dir/mon
[osd.0]
osd data = $dir/osd
osd objectstore = memstore
memstore device bytes = 1073741824
osd max object name len = 460
osd max object namespace len = 64
# At boot an OSD registers its crush location with the monitor, sometimes before it has the
# monitor map (then the monitor refuses: "wrong fsid"); this script places it in the map instead.
osd crush update on start = false
osd class update on start = false
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$port tcp_nodelay=1
rgw data = $dir/rgw
rgw dns name = 127.0.0.1
CONF
export CEPH_CONF=$conf
# A client that has not yet received the monitor map sends its first command with a zero fsid,
# which the monitor refuses ("handle_command on fsid 0000… != …"): commands are tried again.
retry() {
  for _ in $(seq 1 10); do
    "$@" && return 0
    sleep 0.5
  done
  "$@"
}
monmaptool --create --clobber --fsid "$fsid" --addv a "[v1:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$dir/monmap" -c "$conf"
ceph-mon -i a -c "$conf"
# The OSD's uuid is registered with the monitor and written by mkfs alike, or its boot is refused.
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$(retry ceph -c "$conf" osd create "$osd_uuid")
ceph-osd -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" -c "$conf" >"$dir/log/osd-mkfs.log" 2>&1
retry ceph -c "$conf" osd crush add "osd.$osd_id" 1 root=default host=localhost 2>/dev/null
ceph-osd -i "$osd_id" -c "$conf" 2>"$dir/log/osd-start.log"
mkdir -p "$dir/rgw"
radosgw -n client.rgw -c "$conf"
retry radosgw-admin -c "$conf" user create --uid=hydra --display-name=hydra \
  --access-key="$access_key" --secret-key="$secret_key" >/dev/null
for _ in $(seq 1 150); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && exit 0
  sleep 0.2
done
echo "radosgw did not answer on port $port" >&2
false
