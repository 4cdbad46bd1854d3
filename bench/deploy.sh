#!/usr/bin/env bash
# Benchmark: deploy-to-first-200. Time from `POST .../deployments` until the router at :8000 first answers 200 for
# the app, against `docker run -d -p` on a dockerd of our own until its published port first answers 200; both
# with the image already on the engine (cached) and with an image the engine has never seen (uncached, pulled
# from Slipway's registry by both).
#
#   flock -o /tmp/slipway-up.lock -c './slipway up && bench/deploy.sh; ./slipway down'
#   RUNS=3 bench/deploy.sh ...     (default 10 runs per figure and side; needs root, skopeo, curl, python3)
#
# It needs a platform started by `./slipway up` from this checkout (fixed ports 8080/8180/8000, the local
# host-engine joined as a worker, dev user demo/demo): run it under the shared lock as above (-o, so the daemons
# that `up` starts do not inherit the lock), with `./slipway down` after it.
#
# What a run is, on the Slipway side: a fresh app each run (POST .../apps, not timed), then the timed part, the
# user's deploy: POST .../deployments {"image":...,"port":8080,"healthCheck":{"path":"/"}} and curl in a tight
# loop on http://127.0.0.1:8000/ with Host: <app>.demo.localhost until it answers 200. The app is deleted after
# each run (not timed). A fresh app is what a user sees on a first deploy; a new release of a running app would
# answer 200 from the old release at once and measure nothing.
# On the dockerd side: `docker run -d -p <port>:8080 <image>` and the same curl loop on 127.0.0.1:<port>, then
# `docker rm -f` (not timed). The dockerd is Debian's docker.io with its own data-root and sockets on a bridge
# this script creates (as bench/network.sh does), logged in to Slipway's registry with the same PAT.
# Cached: one image, pulled by both engines in the warm-up. Uncached: a different image per run (a unique file
# in its only layer, so no layer is shared either), pushed to Slipway's registry before the timed part.
# Runs alternate between Slipway and dockerd. Writes the deploy section of docs/benchmarks.md.
set -euo pipefail

RUNS=${RUNS:-10}
API_HOSTPORT=${API_HOSTPORT:-localhost:8080}
API=http://$API_HOSTPORT/api/v1
ROUTER=${ROUTER:-http://127.0.0.1:8000}
KEYCLOAK=${KEYCLOAK:-http://localhost:8180/realms/slipway}
DOCKERD_PORT=${DOCKERD_PORT:-18081}
source "$(dirname "$0")/lib.sh"
bench_init deploy.sh
D_BRIDGE=sldeploybd D_ADDR=10.220.123.1/24
for tool in skopeo curl python3 tar gzip; do command -v "$tool" >/dev/null || bench_die "$tool is missing"; done
[[ -x /bin/busybox ]] || bench_die "/bin/busybox missing (busybox-static package)"
curl -s -o /dev/null "http://$API_HOSTPORT/v2/" || bench_die "no platform on $API_HOSTPORT: start it with ./slipway up"

ENGINE_SOCK=${SLIPWAY_ENGINE_SOCKET:-/run/slipway/engine.sock}
RUN_ID=$$-$(date +%s)
deploy_cleanup() { # apps the script created, their last containers, and dockerd's bridge once dockerd has stopped
  local app
  for app in $(cat "$WORK/apps" 2>/dev/null); do
    curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $PAT" "$API/tenants/demo/apps/$app"
  done
  # the worker stops deleted apps' instances with a grace period (busybox httpd as pid 1 ignores SIGTERM, so
  # 10 s): wait for them, so a `./slipway down` right after this leaves no container running
  for _ in $(seq 1 30); do
    dk "$ENGINE_SOCK" ps --format '{{.Label "slipway.app"}}' 2>/dev/null | grep -q -- "-$RUN_ID\$" || break
    sleep 1
  done
  [[ -e /sys/class/net/$D_BRIDGE ]] && ip link del "$D_BRIDGE"
}
bench_on_exit deploy_cleanup

echo "== signing in as demo and making a PAT"
KC_TOKEN=$(curl -sf -d grant_type=password -d client_id=slipway-cli -d username=demo -d password=demo \
  "$KEYCLOAK/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
PAT=$(curl -sf -H "Authorization: Bearer $KC_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"bench-deploy","scopes":["read","write","registry:pull","registry:push"],"expiresInDays":1}' \
  "$API/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH=(-H "Authorization: Bearer $PAT" -H 'Content-Type: application/json')

echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$WORK/policy.json"
make_image() { # id -> $WORK/img-<id>.tar: one gzip layer with static busybox and /www/index.html naming <id>
  local id=$1 dir
  dir=$WORK/img-$id
  mkdir -p "$dir/root/bin" "$dir/root/www" "$dir/layout"
  cp /bin/busybox "$dir/root/bin/busybox"
  echo "deploy bench $id" >"$dir/root/www/index.html"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir/root" -cf "$dir/layer.tar" .
  python3 - "$dir" <<'PY'
import gzip, hashlib, json, os, sys
d = sys.argv[1]
raw = open(f"{d}/layer.tar", "rb").read()
os.makedirs(f"{d}/layout/blobs/sha256", exist_ok=True)
def put(data):
    h = hashlib.sha256(data).hexdigest()
    open(f"{d}/layout/blobs/sha256/{h}", "wb").write(data)
    return {"digest": "sha256:" + h, "size": len(data)}
layer = dict(mediaType="application/vnd.oci.image.layer.v1.tar+gzip", **put(gzip.compress(raw, mtime=0)))
config = dict(mediaType="application/vnd.oci.image.config.v1+json", **put(json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Cmd": ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"], "ExposedPorts": {"8080/tcp": {}}},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw).hexdigest()]}}).encode()))
manifest = put(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": config, "layers": [layer]}).encode())
open(f"{d}/layout/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
open(f"{d}/layout/index.json", "w").write(json.dumps({"schemaVersion": 2, "manifests": [dict(
    mediaType="application/vnd.oci.image.manifest.v1+json", **manifest)]}))
PY
  tar -C "$dir/layout" -cf "$WORK/img-$id.tar" .
  rm -rf "$dir"
}
push_image() { # id -> demo/deploybench-<id>:1 in Slipway's registry
  make_image "$1"
  TMPDIR=$WORK skopeo --policy "$WORK/policy.json" copy -q --dest-creds "demo:$PAT" --dest-tls-verify=false \
    "oci-archive:$WORK/img-$1.tar" "docker://$API_HOSTPORT/demo/deploybench-$1:1"
}

# Both sides curl the same way; the loop's own cost (a curl process per try) is in both figures.
until_200() { # curl args... : returns when the answer is 200
  local code
  for _ in $(seq 1 20000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true)
    [[ $code == 200 ]] && return 0
  done
  bench_die "no 200 from $* (last answer $code)"
}

APP_N=0
slipway_once() { # image -> seconds from POST .../deployments to the first 200 through the router
  local image=$1 app t0 t1
  APP_N=$((APP_N + 1)); app=db$APP_N-$RUN_ID
  curl -sf -o /dev/null "${AUTH[@]}" -X POST "$API/tenants/demo/apps" -d "{\"name\":\"$app\"}" \
    || bench_die "cannot create app $app"
  echo "$app" >>"$WORK/apps"
  t0=$(date +%s%N)
  curl -sf -o /dev/null "${AUTH[@]}" -X POST "$API/tenants/demo/apps/$app/deployments" \
    -d "{\"image\":\"$image\",\"port\":8080,\"resources\":{\"cpu\":0.1,\"memoryMb\":32},\"healthCheck\":{\"path\":\"/\"}}" \
    || bench_die "deploy of $image to $app failed"
  until_200 -H "Host: $app.demo.localhost" "$ROUTER/"
  t1=$(date +%s%N)
  curl -sf -o /dev/null -X DELETE -H "Authorization: Bearer $PAT" "$API/tenants/demo/apps/$app" \
    || bench_die "cannot delete app $app"
  sed -i "/^$app\$/d" "$WORK/apps"
  printf '%.4f\n' "$(seconds "$t0" "$t1")"
}

dockerd_once() { # image -> seconds from docker run -d -p to the first 200 on the published port
  local image=$1 t0 t1
  t0=$(date +%s%N)
  dk "$DOCKERD_SOCK" run -d -q --name deploybench -p "127.0.0.1:$DOCKERD_PORT:8080" "$image" >/dev/null
  until_200 "http://127.0.0.1:$DOCKERD_PORT/"
  t1=$(date +%s%N)
  dk "$DOCKERD_SOCK" rm -f deploybench >/dev/null
  printf '%.4f\n' "$(seconds "$t0" "$t1")"
}

echo "== pushing the cached image to Slipway's registry"
push_image cached
CACHED=$API_HOSTPORT/demo/deploybench-cached:1

echo "== starting dockerd on its own bridge $D_BRIDGE and logging it in to $API_HOSTPORT"
ip link add "$D_BRIDGE" type bridge
ip addr add "$D_ADDR" dev "$D_BRIDGE"
ip link set "$D_BRIDGE" up
bench_start_dockerd --bridge="$D_BRIDGE" --iptables=false --ip-masq=false --userland-proxy=true
echo "$PAT" | dk "$DOCKERD_SOCK" login -u demo --password-stdin "$API_HOSTPORT" >/dev/null 2>&1

echo "== warm-up: each side runs the cached image twice (the first pulls it), not counted"
for _ in 1 2; do
  slipway_once "$CACHED" >/dev/null
  dockerd_once "$CACHED" >/dev/null
done

echo "== cached: $RUNS alternating runs each"
: >"$WORK/slipway.cached"; : >"$WORK/dockerd.cached"
for i in $(seq 1 "$RUNS"); do
  slipway_once "$CACHED" | tee -a "$WORK/slipway.cached" | sed "s/^/slipway run $i: /"
  dockerd_once "$CACHED" | tee -a "$WORK/dockerd.cached" | sed "s/^/dockerd run $i: /"
done

echo "== uncached: $RUNS alternating runs each, a new image per run and side"
: >"$WORK/slipway.uncached"; : >"$WORK/dockerd.uncached"
for i in $(seq 1 "$RUNS"); do
  push_image "s$i-$RUN_ID"; push_image "d$i-$RUN_ID"
  slipway_once "$API_HOSTPORT/demo/deploybench-s$i-$RUN_ID:1" | tee -a "$WORK/slipway.uncached" | sed "s/^/slipway run $i: /"
  dockerd_once "$API_HOSTPORT/demo/deploybench-d$i-$RUN_ID:1" | tee -a "$WORK/dockerd.uncached" | sed "s/^/dockerd run $i: /"
done

declare -A MED
for f in slipway.cached dockerd.cached slipway.uncached dockerd.uncached; do MED[$f]=$(median <"$WORK/$f"); done
raw() { paste -sd' ' "$WORK/$1"; }
DOCKERD_VERSION=$(dk "$DOCKERD_SOCK" version -f '{{.Server.Version}}')
CACHED_OK=no
if (( $(echo "${MED[slipway.cached]} <= 1 && ${MED[slipway.cached]} <= ${MED[dockerd.cached]}" | bc) )); then CACHED_OK=yes; fi
MACHINE=$(bench_machine)
echo "cached: slipway ${MED[slipway.cached]} s, dockerd ${MED[dockerd.cached]} s; uncached: slipway ${MED[slipway.uncached]} s, dockerd ${MED[dockerd.uncached]} s"

SECTION=$(cat <<MD
<!-- deploy-benchmark:start (written by bench/deploy.sh; do not edit by hand) -->
## Deploy to first 200

Measured by \`RUNS=$RUNS bench/deploy.sh\` (under \`flock -o /tmp/slipway-up.lock\` with \`./slipway up\` / \`./slipway down\` around it)
$MACHINE.
Slipway: a fresh app per run, time from \`POST .../deployments\` (one replica, health check on \`/\`) until
\`curl -H 'Host: <app>.demo.localhost' http://127.0.0.1:8000/\` in a tight loop first answers 200, with the local
host-engine as the only worker. dockerd $DOCKERD_VERSION (own data-root and bridge, userland proxy): time from
\`docker run -d -p 127.0.0.1:$DOCKERD_PORT:8080 <image>\` until the same curl loop on that port first answers 200.
The image is static busybox \`httpd\` in one gzip layer (~1 MB), pulled by both from Slipway's registry. Medians of
$RUNS runs each, alternating; ratio = Slipway / dockerd (below 1: Slipway is faster).

| Image | Slipway | dockerd | Ratio |
|---|---|---|---|
| cached (already on the engine) | ${MED[slipway.cached]} s | ${MED[dockerd.cached]} s | $(ratio "${MED[slipway.cached]}" "${MED[dockerd.cached]}") |
| uncached (new image, pulled from the registry) | ${MED[slipway.uncached]} s | ${MED[dockerd.uncached]} s | $(ratio "${MED[slipway.uncached]}" "${MED[dockerd.uncached]}") |

Target (issue 6): cached deploy-to-first-200 <= 1 s and <= dockerd's: **$CACHED_OK** in this run.

Slipway's figure is the whole platform path: the API writes the release and its instance, the scheduler pass
(woken by the deployment's NOTIFY) places it and the worker's session sends the assignment over its stream, the
agent creates and starts the container and probes it until its first healthy answer, the report marks the
instance healthy, and the router re-reads the app's route on the NOTIFY that follows. dockerd's figure is one
daemon starting a local container; it does no placement, health checking or routing. See docs/apps.md ("How long
a deploy takes to serve") for where the time goes.

Raw figures (seconds):

- Slipway cached: $(raw slipway.cached)
- dockerd cached: $(raw dockerd.cached)
- Slipway uncached: $(raw slipway.uncached)
- dockerd uncached: $(raw dockerd.uncached)
<!-- deploy-benchmark:end -->
MD
)
bench_write_section deploy "$SECTION"
