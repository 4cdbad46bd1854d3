#!/usr/bin/env bash
# Registry benchmark: Slipway's /v2 against the CNCF distribution registry (Debian docker-registry), both on
# loopback, with skopeo: push and pull of a ~100 MB four-layer image and of busybox (median of 5 runs each), and
# 20 concurrent pulls of the 100 MB image. Prints a Markdown table for docs/benchmarks.md.
#
# Needs: a running Slipway (./slipway up) with the dev user demo/demo in tenant demo, skopeo, docker-registry,
# curl, python3, tar. Usage: bench/registry.sh [slipway host:port, default localhost:8080]
set -euo pipefail

SLIPWAY=${1:-localhost:8080}
KEYCLOAK=${KEYCLOAK:-http://localhost:8180/realms/slipway}
DIST_PORT=${DIST_PORT:-5055}
RUNS=${RUNS:-5}
CONCURRENT=${CONCURRENT:-20}
WORK=$(mktemp -d /tmp/slipway-bench.XXXXXX)
DIST_PID=
cleanup() {
  [ -n "$DIST_PID" ] && kill "$DIST_PID" 2>/dev/null && wait "$DIST_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in skopeo docker-registry curl python3 tar; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done

echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$WORK/policy.json"
export TMPDIR=$WORK
sk() { skopeo --policy "$WORK/policy.json" "$@"; }

# --- a personal access token for demo ---
KC_TOKEN=$(curl -sf -d grant_type=password -d client_id=slipway-cli -d username=demo -d password=demo \
  "$KEYCLOAK/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
PAT=$(curl -sf -H "Authorization: Bearer $KC_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":["registry:pull","registry:push"],"expiresInDays":1}' \
  "http://$SLIPWAY/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

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
  addr: 127.0.0.1:$DIST_PORT
log:
  level: error
YAML
docker-registry serve "$WORK/dist/config.yml" > "$WORK/dist/log" 2>&1 &
DIST_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$DIST_PORT/v2/" >/dev/null && break; sleep 0.1; done

# --- images: OCI archives built here (no Docker Hub) ---
make_image() { # name, layer sizes in MiB...
  local name=$1; shift
  local dir=$WORK/img-$name; mkdir -p "$dir/layout/blobs/sha256"
  local layers=() i=0
  if [ "$#" -eq 0 ]; then
    mkdir -p "$dir/l0/bin"; cp /bin/busybox "$dir/l0/bin/"; ln -s busybox "$dir/l0/bin/sh"
    tar -C "$dir/l0" -cf "$dir/l0.tar" .; layers+=("$dir/l0.tar")
  fi
  for mib in "$@"; do
    mkdir -p "$dir/l$i"; head -c "${mib}M" /dev/urandom > "$dir/l$i/data-$i"
    tar -C "$dir/l$i" -cf "$dir/l$i.tar" .; layers+=("$dir/l$i.tar"); i=$((i+1))
  done
  python3 - "$dir" "${layers[@]}" <<'PY'
import hashlib, json, os, shutil, sys
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
}
make_image big 25 25 25 25
make_image busybox

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# push/pull timing: target name, host, creds args
bench_one() { # label host image creds...
  local host=$1 image=$2; shift 2
  local push=() pull=() t0 run
  for run in $(seq "$RUNS"); do
    local repo="demo/bench-$image-$run-$$"
    t0=$(now); sk copy -q "${@/#/--dest-}" --dest-tls-verify=false "oci-archive:$WORK/$image.tar" "docker://$host/$repo:1"
    push+=("$(echo "$(now) - $t0" | bc)")
    rm -rf "$WORK/pull"; t0=$(now)
    sk copy -q "${@/#/--src-}" --src-tls-verify=false "docker://$host/$repo:1" "dir:$WORK/pull"
    pull+=("$(echo "$(now) - $t0" | bc)")
  done
  printf '%s %s\n' "$(printf '%s\n' "${push[@]}" | median)" "$(printf '%s\n' "${pull[@]}" | median)"
}

concurrent_pull() { # host repo creds...
  local host=$1 repo=$2; shift 2
  local t0 i; t0=$(now)
  for i in $(seq "$CONCURRENT"); do
    sk copy -q "${@/#/--src-}" --src-tls-verify=false "docker://$host/$repo:1" "dir:$WORK/cp-$i" &
  done
  wait
  echo "$(now) - $t0" | bc
  rm -rf "$WORK"/cp-*
}

SL_CREDS=("creds=demo:$PAT")
read -r sl_big_push sl_big_pull < <(bench_one "$SLIPWAY" big "${SL_CREDS[@]}")
read -r di_big_push di_big_pull < <(bench_one "127.0.0.1:$DIST_PORT" big)
read -r sl_bb_push sl_bb_pull < <(bench_one "$SLIPWAY" busybox "${SL_CREDS[@]}")
read -r di_bb_push di_bb_pull < <(bench_one "127.0.0.1:$DIST_PORT" busybox)
sl_conc=$(concurrent_pull "$SLIPWAY" "demo/bench-big-1-$$" "${SL_CREDS[@]}")
di_conc=$(concurrent_pull "127.0.0.1:$DIST_PORT" "demo/bench-big-1-$$")

ratio() { echo "scale=2; $1 / $2" | bc; }
cat <<TABLE
| skopeo, loopback | Slipway (s) | distribution $(docker-registry --version 2>/dev/null | awk '{print $3}') (s) | ratio |
|---|---|---|---|
| push ~100 MB, 4 layers (median of $RUNS) | $sl_big_push | $di_big_push | $(ratio "$sl_big_push" "$di_big_push") |
| pull ~100 MB, 4 layers (median of $RUNS) | $sl_big_pull | $di_big_pull | $(ratio "$sl_big_pull" "$di_big_pull") |
| push busybox (median of $RUNS) | $sl_bb_push | $di_bb_push | $(ratio "$sl_bb_push" "$di_bb_push") |
| pull busybox (median of $RUNS) | $sl_bb_pull | $di_bb_pull | $(ratio "$sl_bb_pull" "$di_bb_pull") |
| $CONCURRENT concurrent pulls of ~100 MB (wall time) | $sl_conc | $di_conc | $(ratio "$sl_conc" "$di_conc") |
TABLE
