#!/usr/bin/env bash
# Benchmark: Slipway's engine against dockerd, with the same docker CLI.
#
#   bench/engine.sh [runs]        (default 20 runs per engine; needs root, a built host-engine)
#
# Starts Slipway's engine (host-engine/target/host-engine.jar) and a dockerd of its own (Debian's docker.io,
# --bridge=none --iptables=false, private data-root, exec-root, pidfile and socket), loads the same busybox
# image into both, then alternates `docker run --rm --network none busybox true` between them and reports the
# medians and their ratio. Then starts 50 idle containers (`sleep 3600`) on each and measures the memory each
# engine adds per container as PSS (/proc/<pid>/smaps_rollup): the per-container processes (Slipway's monitor,
# dockerd's containerd-shim) plus the growth of the engine processes themselves. Writes the figures into the
# engine section of docs/benchmarks.md and prints them. Everything it starts is stopped at the end.
set -euo pipefail

RUNS=${1:-20}
IDLE=${IDLE:-50}
source "$(dirname "$0")/lib.sh"
bench_init engine.sh

echo "== building the busybox test image archive"
bench_busybox_archive

echo "== starting Slipway's engine and dockerd"
bench_start_slipway
bench_start_dockerd --bridge=none --iptables=false --ip-masq=false
for sock in "$SLIPWAY_SOCK" "$DOCKERD_SOCK"; do dk "$sock" load -q -i "$WORK/busybox.tar" >/dev/null; done

run_once() { # sock -> seconds
  local t0 t1
  t0=$(date +%s%N)
  dk "$1" run --rm --network none busybox true
  t1=$(date +%s%N)
  echo "scale=4; ($t1 - $t0) / 1000000000" | bc
}

echo "== warm-up (3 runs each, not counted)"
for _ in 1 2 3; do run_once "$SLIPWAY_SOCK" >/dev/null; run_once "$DOCKERD_SOCK" >/dev/null; done

echo "== $RUNS alternating runs each of: docker run --rm --network none busybox true"
: >"$WORK/slipway.times"; : >"$WORK/dockerd.times"
for i in $(seq 1 "$RUNS"); do
  run_once "$SLIPWAY_SOCK" >>"$WORK/slipway.times"
  run_once "$DOCKERD_SOCK" >>"$WORK/dockerd.times"
done
S_MED=$(median <"$WORK/slipway.times")
D_MED=$(median <"$WORK/dockerd.times")
RATIO=$(ratio "$S_MED" "$D_MED")
echo "slipway median ${S_MED}s  dockerd median ${D_MED}s  ratio $RATIO"

pss_kb() { # pids... -> summed PSS in kB
  local total=0 pid v
  for pid in "$@"; do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

descendants() { # pid -> the pid and all its descendants
  local pid=$1 child
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do descendants "$child"; done
}

parents_of_inits() { # sock -> pids of the processes that parent each container's init (monitor / shim)
  local ids id pid
  ids=$(dk "$1" ps -q --no-trunc)
  for id in $ids; do
    pid=$(dk "$1" inspect -f '{{.State.Pid}}' "$id")
    awk '/^PPid:/ {print $2}' "/proc/$pid/status"
  done | sort -u
}

engine_pids() { # name -> the engine's own long-lived processes (not per-container ones)
  case $1 in
    slipway) echo "$ENGINE_PID" ;;
    dockerd) echo "$DOCKERD_PID"; pgrep -P "$DOCKERD_PID" -x containerd || true ;;
  esac
}

echo "== memory: $IDLE idle containers (sleep 3600) on each"
declare -A PER_CONTAINER ENGINE_GROWTH
for name in slipway dockerd; do
  sock=$SLIPWAY_SOCK; [[ $name == dockerd ]] && sock=$DOCKERD_SOCK
  before=$(pss_kb $(engine_pids "$name"))
  for i in $(seq 1 "$IDLE"); do dk "$sock" run -d --network none busybox sleep 3600 >/dev/null; done
  sleep 2 # let the engines settle after the burst of starts
  after=$(pss_kb $(engine_pids "$name"))
  mapfile -t holders < <(parents_of_inits "$sock")
  holders_kb=$(pss_kb "${holders[@]}")
  PER_CONTAINER[$name]=$(printf '%.3f' "$(echo "scale=4; $holders_kb / $IDLE / 1024" | bc)")
  ENGINE_GROWTH[$name]=$(printf '%.3f' "$(echo "scale=4; ($after - $before) / $IDLE / 1024" | bc)")
  echo "$name: per-container processes ${#holders[@]} x, ${PER_CONTAINER[$name]} MB PSS per container;" \
       "engine growth ${ENGINE_GROWTH[$name]} MB PSS per container"
  dk "$sock" rm -f $(dk "$sock" ps -aq) >/dev/null
done

echo "== limits: -m 32m with a 100 MB allocation; --cpus 0.5 with a busy loop over 5 s"
declare -A OOM CPUS
for name in slipway dockerd; do
  sock=$SLIPWAY_SOCK; [[ $name == dockerd ]] && sock=$DOCKERD_SOCK
  dk "$sock" run --name oom -m 32m --network none busybox sh -c 'a=$(head -c 100000000 /dev/zero | tr "\0" x)' \
    >/dev/null 2>&1 || true
  OOM[$name]=$(dk "$sock" inspect -f 'exit {{.State.ExitCode}}, OOMKilled {{.State.OOMKilled}}' oom)
  dk "$sock" rm -f oom >/dev/null
  dk "$sock" run -d --name cpu --cpus 0.5 --network none busybox sh -c 'while :; do :; done' >/dev/null
  usage() { curl -s --unix-socket "$sock" "http://engine/containers/cpu/stats?stream=false&one-shot=true" |
            jq '.cpu_stats.cpu_usage.total_usage'; }
  u0=$(usage); t0=$(date +%s%N); sleep 5; u1=$(usage); t1=$(date +%s%N)
  CPUS[$name]=$(printf '%.3f' "$(echo "scale=4; ($u1 - $u0) / ($t1 - $t0)" | bc)")
  dk "$sock" rm -f cpu >/dev/null
  echo "$name: ${OOM[$name]}; --cpus 0.5 measured ${CPUS[$name]} CPU"
done

DOCKERD_VERSION=$(dk "$DOCKERD_SOCK" version -f '{{.Server.Version}}')
MACHINE=$(bench_machine)

SECTION=$(cat <<MD
<!-- engine-benchmark:start (written by bench/engine.sh; do not edit by hand) -->
## Container engine: \`docker run --rm\` latency and memory per idle container

Measured by \`bench/engine.sh $RUNS\` $MACHINE. Same docker CLI ($(dk "$SLIPWAY_SOCK" version -f '{{.Client.Version}}')) against Slipway's engine and
against dockerd $DOCKERD_VERSION (\`--bridge=none --iptables=false\`, its own data-root and socket), alternating.

| figure | Slipway | dockerd |
|---|---|---|
| median of $RUNS x \`docker run --rm --network none busybox true\` | ${S_MED} s | ${D_MED} s |
| ratio Slipway / dockerd (target <= 0.25) | $RATIO | |
| PSS of the per-container processes (monitor / containerd-shim), per container | ${PER_CONTAINER[slipway]} MB | ${PER_CONTAINER[dockerd]} MB |
| growth of the engine's own processes, per container (engine JVM / dockerd + containerd) | ${ENGINE_GROWTH[slipway]} MB | ${ENGINE_GROWTH[dockerd]} MB |
| \`-m 32m\`, allocating 100 MB | ${OOM[slipway]} | ${OOM[dockerd]} |
| \`--cpus 0.5\`, busy loop, CPU used over 5 s (from the cgroup via the stats API) | ${CPUS[slipway]} | ${CPUS[dockerd]} |

The machine is shared with other builds (see the load average): absolute times and the CPU figure are
inflated or depressed by contention; the alternating runs make the ratio the comparable figure.

Raw run times (s), Slipway: $(tr '\n' ' ' <"$WORK/slipway.times")

Raw run times (s), dockerd: $(tr '\n' ' ' <"$WORK/dockerd.times")
<!-- engine-benchmark:end -->
MD
)

bench_write_section engine "$SECTION"
