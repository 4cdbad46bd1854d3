#!/usr/bin/env bash
# Registry benchmark: Slipway's /v2 against the CNCF distribution registry (Debian's docker-registry), both on
# loopback, with skopeo: push and pull of a ~100 MB four-layer image and of busybox (median of RUNS each), and
# CONCURRENT concurrent pulls of the 100 MB image (median wall time of CONC_RUNS rounds). The two registries are
# measured alternately, run by run, so that a change in the machine's load hits both. Writes the
# <!-- registry-benchmark:start/end --> section of docs/benchmarks.md.
#
# Run it against the platform as ./slipway up starts it, under the lock that keeps one platform per machine
# (-o: the daemons that up starts must not inherit the lock):
#
#   flock -o /tmp/slipway-up.lock -c './slipway up && RUNS=5 bench/registry.sh; ./slipway down'
#
# Needs: the dev user demo/demo in tenant demo, skopeo, docker-registry, curl, python3, tar, bc.
# Usage: bench/registry.sh [slipway host:port, default localhost:8080]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BENCH_NAME=registry.sh
REPO=$(cd "$(dirname "$0")/.." && pwd)
SLIPWAY=${1:-localhost:8080}
KEYCLOAK=${KEYCLOAK:-http://localhost:8180/realms/slipway}
DIST_PORT=${DIST_PORT:-5055}
DIST=127.0.0.1:$DIST_PORT
RUNS=${RUNS:-5}
CONCURRENT=${CONCURRENT:-20}
CONC_RUNS=${CONC_RUNS:-3}
WORK=$(mktemp -d /tmp/slipway-registry-bench.XXXXXX)
DIST_PID=
cleanup() {
  set +e # the killed registry's status must not become the script's
  if [[ -n $DIST_PID ]]; then kill "$DIST_PID" 2>/dev/null; wait "$DIST_PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in skopeo docker-registry curl python3 tar bc; do
  command -v "$tool" >/dev/null || bench_die "$tool is missing"
done

echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$WORK/policy.json"
export TMPDIR=$WORK
sk() { skopeo --policy "$WORK/policy.json" "$@"; }

# --- a personal access token for demo ---
KC_TOKEN=$(curl -sf -d grant_type=password -d client_id=slipway-cli -d username=demo -d password=demo \
  "$KEYCLOAK/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])') \
  || bench_die "no Keycloak token for demo/demo at $KEYCLOAK: is ./slipway up running?"
PAT=$(curl -sf -H "Authorization: Bearer $KC_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":["registry:pull","registry:push"],"expiresInDays":1}' \
  "http://$SLIPWAY/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') \
  || bench_die "no personal access token from http://$SLIPWAY/api/v1/tokens"

# --- distribution on loopback ---
mkdir -p "$WORK/dist"
cat > "$WORK/dist/config.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $WORK/dist/data
  delete:
    enabled: true
http:
  addr: $DIST
log:
  level: error
YAML
docker-registry serve "$WORK/dist/config.yml" > "$WORK/dist/log" 2>&1 &
DIST_PID=$!
for _ in $(seq 100); do curl -sf "http://$DIST/v2/" >/dev/null && break; sleep 0.1; done
curl -sf "http://$DIST/v2/" >/dev/null || bench_die "docker-registry did not start; see $WORK/dist/log"

# --- images: OCI archives built here (no Docker Hub) ---
# Every run pushes an image of its own (a stamp file in each layer), so every push uploads all its bytes: with
# blobs a registry already holds, skopeo would mount them from the previous run's repository instead.
make_image() { # name, layer sizes in MiB... (none: a busybox image)
  local name=$1; shift
  local dir=$WORK/img-$name; mkdir -p "$dir/layout/blobs/sha256"
  local layers=() i=0
  if [[ $# -eq 0 ]]; then
    mkdir -p "$dir/l0/bin"; cp /bin/busybox "$dir/l0/bin/"; ln -s busybox "$dir/l0/bin/sh"
    echo "$name $$" > "$dir/l0/stamp"
    tar -C "$dir/l0" -cf "$dir/l0.tar" .; layers+=("$dir/l0.tar")
  fi
  for mib in "$@"; do
    mkdir -p "$dir/l$i"; head -c "${mib}M" /dev/urandom > "$dir/l$i/data-$i"; echo "$name $$" > "$dir/l$i/stamp"
    tar -C "$dir/l$i" -cf "$dir/l$i.tar" .; layers+=("$dir/l$i.tar"); i=$((i+1))
  done
  python3 - "$dir" "${layers[@]}" <<'PY'
import hashlib, json, sys
d, layers = sys.argv[1], sys.argv[2:]
def put(path_or_bytes):
    data = open(path_or_bytes, 'rb').read() if isinstance(path_or_bytes, str) else path_or_bytes
    h = hashlib.sha256(data).hexdigest()
    open(f"{d}/layout/blobs/sha256/{h}", 'wb').write(data)
    return {"digest": "sha256:" + h, "size": len(data)}
ls = [dict(mediaType="application/vnd.oci.image.layer.v1.tar", **put(l)) for l in layers]
cfg = json.dumps({"architecture": "amd64", "os": "linux",
                  "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in ls]}}).encode()
c = dict(mediaType="application/vnd.oci.image.config.v1+json", **put(cfg))
m = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": c, "layers": ls}).encode()
md = put(m)
open(f"{d}/layout/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
open(f"{d}/layout/index.json", "w").write(json.dumps({"schemaVersion": 2, "manifests": [dict(
    mediaType="application/vnd.oci.image.manifest.v1+json", annotations={"org.opencontainers.image.ref.name": "1"},
    **md)]}))
PY
  tar -C "$dir/layout" -cf "$WORK/$name.tar" .
  rm -rf "$dir"
}

creds() { # skopeo credential flags for a registry, with the given direction prefix (src or dest)
  [[ $1 == "$SLIPWAY" ]] && echo "--$2-creds=demo:$PAT"
  echo "--$2-tls-verify=false"
}

timed() { # command...: runs it, prints its wall time in seconds
  local t0 t1
  t0=$(date +%s%N); "$@"; t1=$(date +%s%N)
  printf "%.3f" "$(seconds "$t0" "$t1")"
}

push() { # host image run: a new repository per run
  # shellcheck disable=SC2046
  sk copy -q $(creds "$1" dest) "oci-archive:$WORK/$2-$3.tar" "docker://$1/demo/bench-$2-$3-$$:1"
}

pull() { # host image run
  rm -rf "$WORK/pull"
  # shellcheck disable=SC2046
  sk copy -q $(creds "$1" src) "docker://$1/demo/bench-$2-$3-$$:1" "dir:$WORK/pull"
}

concurrent_pull() { # host: CONCURRENT pulls of the run-1 100 MB image at once
  local i pids=()
  for i in $(seq "$CONCURRENT"); do
    # shellcheck disable=SC2046
    sk copy -q $(creds "$1" src) "docker://$1/demo/bench-big-1-$$:1" "dir:$WORK/cp-$i" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || bench_die "a concurrent pull from $1 failed"; done
  rm -rf "$WORK"/cp-*
}

declare -A raw
record() { raw[$1]+="$2 "; }

# Alternate the registries run by run, and which goes first, so that neither always meets a warmer or a
# busier machine.
for run in $(seq "$RUNS"); do
  if (( run % 2 )); then order=("$SLIPWAY" "$DIST"); else order=("$DIST" "$SLIPWAY"); fi
  make_image "big-$run" 25 25 25 25
  make_image "busybox-$run"
  for image in big busybox; do
    for host in "${order[@]}"; do
      who=$([[ $host == "$SLIPWAY" ]] && echo sl || echo di)
      record "$who-$image-push" "$(timed push "$host" "$image" "$run")"
      record "$who-$image-pull" "$(timed pull "$host" "$image" "$run")"
    done
  done
  rm -f "$WORK/big-$run.tar" "$WORK/busybox-$run.tar"
  echo "run $run of $RUNS done" >&2
done
for run in $(seq "$CONC_RUNS"); do
  if (( run % 2 )); then order=("$SLIPWAY" "$DIST"); else order=("$DIST" "$SLIPWAY"); fi
  for host in "${order[@]}"; do
    who=$([[ $host == "$SLIPWAY" ]] && echo sl || echo di)
    record "$who-conc" "$(timed concurrent_pull "$host")"
  done
  echo "concurrent round $run of $CONC_RUNS done" >&2
done

med() { tr ' ' '\n' <<<"${raw[$1]}" | grep -v '^$' | median; }
row() { # label key
  local s d
  s=$(med "sl-$2"); d=$(med "di-$2")
  printf '| %s | %s | %s | %s |\n' "$1" "$s" "$d" "$(ratio "$s" "$d")"
}
raw_lines() {
  local key
  for key in big-push big-pull busybox-push busybox-pull conc; do
    printf -- '- %s: Slipway %s; distribution %s\n' "$key" "${raw[sl-$key]% }" "${raw[di-$key]% }"
  done
}

DIST_VERSION=$(docker-registry --version 2>/dev/null | awk '{print $3}')
SECTION="<!-- registry-benchmark:start (written by bench/registry.sh; do not edit by hand) -->
## Registry: push and pull with skopeo against CNCF distribution

Measured $(bench_machine).
Command: \`flock -o /tmp/slipway-up.lock -c './slipway up && RUNS=$RUNS bench/registry.sh; ./slipway down'\`.
\`skopeo copy\` ($(skopeo --version | awk '{print $3}')) of an OCI archive to each registry (push: a new image and
repository per run, so every byte is uploaded) and back to a \`dir:\` (pull); distribution $DIST_VERSION on $DIST with filesystem storage and no auth;
Slipway as \`./slipway up\` starts it, with registry token auth (\`demo:<PAT>\`) and the filesystem blob store.
The registries alternate run by run.

| skopeo, loopback | Slipway (s) | distribution $DIST_VERSION (s) | ratio (target <= 1.0) |
|---|---|---|---|
$(row "push ~100 MB, 4 layers (median of $RUNS)" big-push)
$(row "pull ~100 MB, 4 layers (median of $RUNS)" big-pull)
$(row "push busybox (median of $RUNS)" busybox-push)
$(row "pull busybox (median of $RUNS)" busybox-pull)
$(row "$CONCURRENT concurrent pulls of ~100 MB (wall time, median of $CONC_RUNS)" conc)

Raw times (s), in run order:

$(raw_lines)
<!-- registry-benchmark:end -->"
echo "$SECTION"
bench_write_section registry "$SECTION"
