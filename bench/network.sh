#!/usr/bin/env bash
# Benchmark: Slipway's engine networking against dockerd's bridge networking, with the same docker CLI.
#
#   bench/network.sh [runs]        (default 15 runs per figure and engine; needs root, a built host-engine)
#
# Starts Slipway's engine (bridge slntbench0 on 10.220.121.0/24) and a dockerd of its own (Debian's docker.io on
# a bridge the script creates, slntbenchd on 10.220.122.0/24, with its own data-root, exec-root, pidfile and
# socket; --iptables=false, so its published ports go through docker-proxy, which is also what dockerd uses for
# connections from the host's 127.0.0.1). Everything stays on this machine: the clients are on the host, the
# servers in the engines' containers, every connection goes to 127.0.0.1. Measures, alternating between the engines:
#   1. `docker run --rm busybox true` on the default bridge network;
#   2. `docker run --rm -p 8080 busybox true` (a published port);
#   3. throughput host -> container through a published port: 1 GiB over TCP into busybox `nc -l` (time from
#      connect until the container has read it all and exited);
#   4. requests per second to busybox httpd through a published port (a Python client, 8 threads, a new
#      connection per request, as busybox httpd closes each).
# Writes the figures into the network section of docs/benchmarks.md and prints them. Stops what it started.
set -euo pipefail

RUNS=${1:-15}
source "$(dirname "$0")/lib.sh"
bench_init network.sh
PYTHON=${PYTHON:-$(command -v python3)}
S_BRIDGE=slntbench0 S_SUBNET=10.220.121.0/24
D_BRIDGE=slntbenchd D_ADDR=10.220.122.1/24
[[ -x /usr/sbin/docker-proxy || -x /usr/bin/docker-proxy ]] || bench_die "docker-proxy missing (docker.io package)"
[[ -n $PYTHON ]] || bench_die "python3 missing"
network_cleanup() { # the bridges and the engine's nft table, once both engines have stopped
  nft delete table ip "slipway_$S_BRIDGE" 2>/dev/null
  for b in "$S_BRIDGE" "$D_BRIDGE"; do [[ -e /sys/class/net/$b ]] && ip link del "$b"; done
}
bench_on_exit network_cleanup

echo "== building the busybox test image archive"
bench_busybox_archive

echo "== starting Slipway's engine and dockerd, each on its own bridge"
SLIPWAY_ENGINE_NETWORK_POOL=10.220.192.0/18 bench_start_slipway --bridge "$S_BRIDGE" --bridge-subnet "$S_SUBNET"
ip link add "$D_BRIDGE" type bridge
ip addr add "$D_ADDR" dev "$D_BRIDGE"
ip link set "$D_BRIDGE" up
bench_start_dockerd --bridge="$D_BRIDGE" --iptables=false --ip-masq=false --userland-proxy=true
for sock in "$SLIPWAY_SOCK" "$DOCKERD_SOCK"; do dk "$sock" load -q -i "$WORK/busybox.tar" >/dev/null; done

time_run() { # sock args... -> seconds of one docker run --rm
  local sock=$1 t0 t1; shift
  t0=$(date +%s%N); dk "$sock" run --rm "$@" >/dev/null; t1=$(date +%s%N)
  seconds "$t0" "$t1"
}

host_port() { dk "$1" port "$2" "$3" | head -n 1 | sed 's/.*://'; }

throughput_once() { # sock -> MB/s for 1 GiB host -> container
  local sock=$1 port t0 t1
  dk "$sock" run -d --name sink -p 9000 busybox sh -c 'nc -l -p 9000 > /dev/null' >/dev/null
  port=$(host_port "$sock" sink 9000/tcp)
  sleep 0.5
  t0=$(date +%s%N)
  "$PYTHON" - "$port" <<'PY'
import socket, sys, time
block = b"\0" * (1 << 20)
for attempt in range(50):
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
        break
    except OSError:
        time.sleep(0.1)
for _ in range(1024):
    s.sendall(block)
s.close()
PY
  dk "$sock" wait sink >/dev/null
  t1=$(date +%s%N)
  dk "$sock" rm -f sink >/dev/null
  echo "scale=1; 1024 / $(seconds "$t0" "$t1")" | bc
}

rps_once() { # sock port -> requests per second
  "$PYTHON" - "$2" <<'PY'
import socket, sys, threading, time
port, total, threads = int(sys.argv[1]), 2000, 8
request = b"GET / HTTP/1.0\r\nHost: bench\r\n\r\n"
def worker(n):
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(request)
        while s.recv(65536):
            pass
        s.close()
t0 = time.monotonic()
ts = [threading.Thread(target=worker, args=(total // threads,)) for _ in range(threads)]
for t in ts: t.start()
for t in ts: t.join()
print(f"{total / (time.monotonic() - t0):.0f}")
PY
}

echo "== warm-up (3 runs each, not counted)"
for _ in 1 2 3; do
  for sock in "$SLIPWAY_SOCK" "$DOCKERD_SOCK"; do time_run "$sock" busybox true >/dev/null; done
done

declare -A MED
for figure in bridge publish; do
  args=(busybox true); [[ $figure == publish ]] && args=(-p 8080 busybox true)
  echo "== $RUNS alternating runs each of: docker run --rm ${args[*]}"
  : >"$WORK/slipway.$figure"; : >"$WORK/dockerd.$figure"
  for _ in $(seq 1 "$RUNS"); do
    time_run "$SLIPWAY_SOCK" "${args[@]}" >>"$WORK/slipway.$figure"
    time_run "$DOCKERD_SOCK" "${args[@]}" >>"$WORK/dockerd.$figure"
  done
  MED[slipway.$figure]=$(median <"$WORK/slipway.$figure")
  MED[dockerd.$figure]=$(median <"$WORK/dockerd.$figure")
  echo "slipway ${MED[slipway.$figure]} s, dockerd ${MED[dockerd.$figure]} s"
done

echo "== throughput: 1 GiB host -> container through a published port (3 runs each)"
: >"$WORK/slipway.mbps"; : >"$WORK/dockerd.mbps"
for _ in 1 2 3; do
  throughput_once "$SLIPWAY_SOCK" >>"$WORK/slipway.mbps"
  throughput_once "$DOCKERD_SOCK" >>"$WORK/dockerd.mbps"
done
MED[slipway.mbps]=$(median <"$WORK/slipway.mbps"); MED[dockerd.mbps]=$(median <"$WORK/dockerd.mbps")
echo "slipway ${MED[slipway.mbps]} MB/s, dockerd ${MED[dockerd.mbps]} MB/s"

echo "== requests per second to busybox httpd through a published port (3 runs of 2000 each)"
declare -A WEBPORT
for sock in "$SLIPWAY_SOCK" "$DOCKERD_SOCK"; do
  dk "$sock" run -d --name web -p 8080 busybox sh -c \
    'mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www' >/dev/null
  WEBPORT[$sock]=$(host_port "$sock" web 8080/tcp)
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:${WEBPORT[$sock]}/" >/dev/null && break; sleep 0.1; done
done
: >"$WORK/slipway.rps"; : >"$WORK/dockerd.rps"
for _ in 1 2 3; do
  rps_once "$SLIPWAY_SOCK" "${WEBPORT[$SLIPWAY_SOCK]}" >>"$WORK/slipway.rps"
  rps_once "$DOCKERD_SOCK" "${WEBPORT[$DOCKERD_SOCK]}" >>"$WORK/dockerd.rps"
done
MED[slipway.rps]=$(median <"$WORK/slipway.rps"); MED[dockerd.rps]=$(median <"$WORK/dockerd.rps")
echo "slipway ${MED[slipway.rps]} req/s, dockerd ${MED[dockerd.rps]} req/s"

DOCKERD_VERSION=$(dk "$DOCKERD_SOCK" version -f '{{.Server.Version}}')
MACHINE=$(bench_machine)

SECTION=$(cat <<MD
<!-- network-benchmark:start (written by bench/network.sh; do not edit by hand) -->
## Engine networking: bridge start time, published-port throughput and requests per second

Measured by \`bench/network.sh $RUNS\` $MACHINE. Same docker CLI ($(dk "$SLIPWAY_SOCK" version -f '{{.Client.Version}}')) against Slipway's engine
(kernel DNAT for published ports) and dockerd $DOCKERD_VERSION (its own bridge, \`--iptables=false\`, so published
ports go through docker-proxy, which dockerd uses for the host's 127.0.0.1 anyway), alternating. All clients on the
host, connecting to 127.0.0.1.

| figure | Slipway | dockerd | ratio Slipway / dockerd | target |
|---|---|---|---|---|
| median of $RUNS x \`docker run --rm busybox true\` (default bridge) | ${MED[slipway.bridge]} s | ${MED[dockerd.bridge]} s | $(ratio "${MED[slipway.bridge]}" "${MED[dockerd.bridge]}") | <= 0.3 |
| median of $RUNS x \`docker run --rm -p 8080 busybox true\` | ${MED[slipway.publish]} s | ${MED[dockerd.publish]} s | $(ratio "${MED[slipway.publish]}" "${MED[dockerd.publish]}") | |
| 1 GiB host -> container through a published port (median of 3) | ${MED[slipway.mbps]} MB/s | ${MED[dockerd.mbps]} MB/s | $(ratio "${MED[slipway.mbps]}" "${MED[dockerd.mbps]}") | >= 1 |
| requests/s to busybox httpd through a published port (median of 3 x 2000, 8 threads) | ${MED[slipway.rps]} | ${MED[dockerd.rps]} | $(ratio "${MED[slipway.rps]}" "${MED[dockerd.rps]}") | |

The machine is shared with other builds (see the load average): absolute figures move with contention; the
alternating runs make the ratios the comparable figures.

Raw run times (s), bridge, Slipway: $(tr '\n' ' ' <"$WORK/slipway.bridge"); dockerd: $(tr '\n' ' ' <"$WORK/dockerd.bridge")

Raw run times (s), -p, Slipway: $(tr '\n' ' ' <"$WORK/slipway.publish"); dockerd: $(tr '\n' ' ' <"$WORK/dockerd.publish")

Raw MB/s, Slipway: $(tr '\n' ' ' <"$WORK/slipway.mbps"); dockerd: $(tr '\n' ' ' <"$WORK/dockerd.mbps"). Raw req/s, Slipway: $(tr '\n' ' ' <"$WORK/slipway.rps"); dockerd: $(tr '\n' ' ' <"$WORK/dockerd.rps")
<!-- network-benchmark:end -->
MD
)

bench_write_section network "$SECTION"
