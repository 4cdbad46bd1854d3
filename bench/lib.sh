# Shared set-up for the bench/ scripts: source it, never run it.
#
#   source "$(dirname "$0")/lib.sh"
#   bench_init engine.sh                  # paths, a work dir, the EXIT trap; needs root
#   bench_busybox_archive                 # $WORK/busybox.tar, the tests' busybox image (docker-archive)
#   bench_start_slipway [engine args]     # host-engine on $SLIPWAY_SOCK, data in $WORK/slipway
#   bench_start_dockerd [dockerd args]    # Debian's dockerd on $DOCKERD_SOCK, its own data-root and exec-root
#   ... measure, alternating between the two ...
#   bench_write_section engine "$SECTION" # replace the <!-- engine-benchmark:start/end --> part of docs/benchmarks.md
#
# Everything a script starts through these functions is stopped and removed by the EXIT trap, including
# containers still running on either engine; a script adds its own clean-up, run after both engines have
# stopped, with bench_on_exit.

bench_die() { echo "bench/$BENCH_NAME: $*" >&2; exit 1; }

bench_init() { # bench_init <script name>
  BENCH_NAME=$1
  REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  DOCKER=${DOCKER:-$(command -v /usr/local/bin/docker /usr/bin/docker | head -n 1)}
  DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
  JAVA=${JAVA:-$(command -v java)}
  [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]] && JAVA=${JAVA_OVERRIDE:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
  JAR=$REPO/host-engine/target/host-engine.jar
  WORK=$(mktemp -d "/tmp/slipway-${BENCH_NAME%.sh}.XXXXXX")
  SLIPWAY_SOCK=$WORK/slipway.sock
  DOCKERD_SOCK=$WORK/dockerd.sock
  ENGINE_PID= DOCKERD_PID=
  BENCH_EXIT_HOOKS=()
  [[ $(id -u) -eq 0 ]] || bench_die "run as root (the engines need it)"
  export DOCKER_CONFIG=$WORK/docker-config
  trap bench_cleanup EXIT
}

bench_on_exit() { BENCH_EXIT_HOOKS+=("$*"); }

bench_cleanup() {
  set +e
  local hook sock ids
  for sock in "$SLIPWAY_SOCK" "$DOCKERD_SOCK"; do
    [[ -S $sock ]] || continue
    ids=$(DOCKER_HOST=unix://$sock "$DOCKER" ps -aq 2>/dev/null)
    [[ -n $ids ]] && DOCKER_HOST=unix://$sock "$DOCKER" rm -f $ids >/dev/null 2>&1
  done
  [[ -n $ENGINE_PID ]] && kill "$ENGINE_PID" 2>/dev/null && wait "$ENGINE_PID" 2>/dev/null
  [[ -n $DOCKERD_PID ]] && kill "$DOCKERD_PID" 2>/dev/null && wait "$DOCKERD_PID" 2>/dev/null
  for hook in "${BENCH_EXIT_HOOKS[@]}"; do eval "$hook"; done
  grep -o " $WORK[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$WORK"
}

dk() { local sock=$1; shift; DOCKER_HOST=unix://$sock "$DOCKER" "$@"; }

bench_wait_for_socket() { # sock pid name
  for _ in $(seq 1 600); do
    dk "$1" version >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || bench_die "$3 exited during start-up; see $WORK/$3.log"
    sleep 0.1
  done
  bench_die "$3 did not answer on $1"
}

bench_busybox_archive() { # writes $WORK/busybox.tar with the image the engine's tests build from busybox-static
  local cp
  [[ -d $REPO/host-engine/target/test-classes ]] || bench_die "test classes missing: run ./mvnw -B -pl host-engine test-compile"
  cp="$REPO/host-engine/target/test-classes:$REPO/host-engine/target/classes:$(ls "$REPO"/host-engine/target/lib/*.jar | tr '\n' ':')"
  "$JAVA" -cp "$cp" dev.slipway.engine.testimages.TestImages "$WORK" >/dev/null
}

bench_start_slipway() { # extra engine args...; env is passed through (e.g. SLIPWAY_ENGINE_NETWORK_POOL)
  [[ -f $JAR ]] || bench_die "$JAR missing: build it with ./mvnw -B -pl host-engine package -DskipTests"
  "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" --socket "$SLIPWAY_SOCK" --data-dir "$WORK/slipway" "$@" \
    >"$WORK/slipway.log" 2>&1 &
  ENGINE_PID=$!
  bench_wait_for_socket "$SLIPWAY_SOCK" "$ENGINE_PID" slipway
}

bench_start_dockerd() { # dockerd args beyond the private paths (network choice, proxy, ...)
  [[ -x $DOCKER ]] || bench_die "docker CLI missing at $DOCKER"
  [[ -x $DOCKERD ]] || bench_die "dockerd missing at $DOCKERD (apt-get install docker.io)"
  "$DOCKERD" --host "unix://$DOCKERD_SOCK" --data-root "$WORK/dockerd-data" --exec-root "$WORK/dockerd-exec" \
    --pidfile "$WORK/dockerd.pid" --storage-driver overlay2 "$@" >"$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  bench_wait_for_socket "$DOCKERD_SOCK" "$DOCKERD_PID" dockerd
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.4f\n", (a[NR/2]+a[NR/2+1])/2}'; }
percentile() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int(NR*p/100+0.999); if (i<1) i=1; print a[i]}'; }
seconds() { echo "scale=4; ($2 - $1) / 1000000000" | bc; }
ratio() { printf '%.3f' "$(echo "scale=4; $1 / $2" | bc)"; }

bench_machine() { # when, on what, and how busy the machine was: "at <time> on <machine>, load average ..."
  printf 'at %s on %s x %s, %s RAM, Linux %s, load average at the end: %s' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" \
    "$(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)" "$(uname -r)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

bench_write_section() { # name markdown: the markdown must start and end with the <name>-benchmark markers
  local name=$1 section=$2 out=$REPO/docs/benchmarks.md
  [[ -f $out ]] || printf '# Benchmarks\n\nFigures measured on the machines named in each section; scripts under bench/.\n' >"$out"
  if grep -q "$name-benchmark:start" "$out"; then
    awk -v section="$section" -v start="$name-benchmark:start" -v end="$name-benchmark:end" '
      index($0, start) {print section; skip=1; next}
      index($0, end) {skip=0; next}
      !skip {print}' "$out" >"$out.tmp" && mv "$out.tmp" "$out"
  else
    printf '\n%s\n' "$section" >>"$out"
  fi
  echo "== written to $out"
}
