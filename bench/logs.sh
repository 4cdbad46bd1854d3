#!/usr/bin/env bash
# Benchmark: container logs end to end through Slipway (container -> worker -> API -> PostgreSQL -> logs API)
# against dockerd's json-file driver read back with `docker logs`, in one run.
#
#   ./slipway up && bench/logs.sh [lines]; ./slipway down     (default 1,000,000 lines; root; Slipway on :8080)
#   (on a machine where others start the platform too: flock -o /tmp/slipway-up.lock -c '...')
#
# Builds a small image (busybox-static plus `ticker`, a static C program compiled here that prints
# "<number> <CLOCK_REALTIME ns>" lines, either as fast as it can or at a fixed rate), pushes it to Slipway's
# registry with skopeo, and has a dockerd of its own (bench_start_dockerd, no network) pull the same image from
# there. Then, for each engine:
#   1. throughput: one container prints N lines as fast as it can. Slipway: lines/s from the first line's write
#      (its own timestamp) until the logs API returns line N (polled every 20 ms with tail=1); then the whole log
#      is read back once to check that it holds 1..N in order, none twice. dockerd: the container's write rate,
#      and `docker logs` read-back lines/s (the figure the issue compares with);
#   2. latency at 1,000 lines/s for 10 s: from each line's write (its timestamp) to its arrival at a follower:
#      an SSE client of the logs API (follow=true) for Slipway, `docker logs -f` for dockerd; p50, p99, max;
#   3. fan-out (Slipway only): 200 SSE followers of one app while it writes 300 lines/s for 10 s: lines received
#      by each (min/max), `dropped` events, followers that got every line exactly once, in order.
# The container and the clients share the host's clock (same machine). Writes the logs section of
# docs/benchmarks.md and prints it; removes its apps, containers and dockerd at the end.
set -euo pipefail

LINES=${1:-1000000}
RATE_LINES=10000 RATE=1000
FAN_VIEWERS=${FAN_VIEWERS:-200} FAN_LINES=3000 FAN_RATE=300
API=${SLIPWAY_API:-http://localhost:8080}
KEYCLOAK=${KEYCLOAK:-http://localhost:8180/realms/slipway}
source "$(dirname "$0")/lib.sh"
bench_init logs.sh
PYTHON=${PYTHON:-$(command -v python3)}
for tool in skopeo gcc curl jq "$PYTHON"; do command -v "$tool" >/dev/null || bench_die "$tool is missing"; done
curl -sf "$API/q/health/ready" >/dev/null || bench_die "no Slipway at $API: start it with ./slipway up"
REGISTRY=${API#http://}
TENANT=demo
RUN_ID=$(date +%s | tail -c 6)

echo "== signing in as demo and making a personal access token"
KC_TOKEN=$(curl -sf -d grant_type=password -d client_id=slipway-cli -d username=demo -d password=demo \
  "$KEYCLOAK/protocol/openid-connect/token" | jq -r .access_token)
PAT=$(curl -sf -H "Authorization: Bearer $KC_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"bench-logs","scopes":["read","write","registry:pull","registry:push"],"expiresInDays":1}' \
  "$API/api/v1/tokens" | jq -r .token)
api() { # method path [json body]
  curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $PAT" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$API/api/v1/tenants/$TENANT$2"
}
APPS=()
remove_app() { api DELETE "/apps/$1" >/dev/null 2>&1 || true; }
remove_apps() { local a; for a in "${APPS[@]}"; do remove_app "$a"; done; }
bench_on_exit remove_apps

echo "== building the image: busybox-static + ticker"
mkdir -p "$WORK/rootfs/bin" "$WORK/layout/blobs/sha256"
cat >"$WORK/ticker.c" <<'C'
/* ticker <count> <lines per second, 0 = as fast as possible>: prints "<n> <CLOCK_REALTIME ns>" for n = 1..count,
 * paced against CLOCK_MONOTONIC so a slow write does not shift the later lines' schedule. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(int argc, char **argv) {
    long count = argc > 1 ? atol(argv[1]) : 10, rate = argc > 2 ? atol(argv[2]) : 0;
    struct timespec start, due, now;
    setvbuf(stdout, NULL, rate ? _IOLBF : _IOFBF, 1 << 16);
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long n = 1; n <= count; n++) {
        if (rate) {
            long long at = (long long) start.tv_sec * 1000000000LL + start.tv_nsec + n * 1000000000LL / rate;
            due.tv_sec = at / 1000000000LL; due.tv_nsec = at % 1000000000LL;
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL);
        }
        clock_gettime(CLOCK_REALTIME, &now);
        printf("%ld %lld\n", n, (long long) now.tv_sec * 1000000000LL + now.tv_nsec);
    }
    return fflush(stdout) != 0;
}
C
gcc -static -O2 -o "$WORK/rootfs/bin/ticker" "$WORK/ticker.c"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for applet in sh sleep; do ln -s busybox "$WORK/rootfs/bin/$applet"; done
tar -C "$WORK/rootfs" -cf "$WORK/layer.tar" .
"$PYTHON" - "$WORK" <<'PY'
import hashlib, json, sys
work = sys.argv[1]
def put(data):
    h = hashlib.sha256(data).hexdigest()
    open(f"{work}/layout/blobs/sha256/{h}", "wb").write(data)
    return {"digest": "sha256:" + h, "size": len(data)}
layer = dict(mediaType="application/vnd.oci.image.layer.v1.tar", **put(open(f"{work}/layer.tar", "rb").read()))
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/bin"]},
                     "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **put(config)),
                       "layers": [layer]}).encode()
m = put(manifest)
open(f"{work}/layout/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
open(f"{work}/layout/index.json", "w").write(json.dumps({"schemaVersion": 2, "manifests": [dict(
    mediaType="application/vnd.oci.image.manifest.v1+json", annotations={"org.opencontainers.image.ref.name": "1"}, **m)]}))
PY
IMAGE=$REGISTRY/$TENANT/logbench:1
echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$WORK/policy.json"
skopeo --policy "$WORK/policy.json" copy -q --dest-creds "demo:$PAT" --dest-tls-verify=false \
  "oci:$WORK/layout:1" "docker://$IMAGE"

echo "== starting dockerd (its own data-root, no network) and pulling the image from Slipway's registry"
bench_start_dockerd --bridge=none --iptables=false --ip-masq=false
echo "$PAT" | dk "$DOCKERD_SOCK" login -u demo --password-stdin "$REGISTRY" >/dev/null
dk "$DOCKERD_SOCK" pull -q "$IMAGE" >/dev/null

deploy() { # app command -> creates the app (if new) and deploys the image with that shell command
  local app=$1 cmd=$2
  [[ " ${APPS[*]} " == *" $app "* ]] || { api POST /apps "{\"name\":\"$app\"}" >/dev/null; APPS+=("$app"); }
  api POST "/apps/$app/deployments" "$(jq -nc --arg img "$IMAGE" --arg cmd "$cmd" \
    '{image:$img, command:["sh","-c",$cmd], replicas:1, resources:{cpu:1, memoryMb:128, pids:64}}')" >/dev/null
}
create_app() { api POST /apps "{\"name\":\"$1\"}" >/dev/null; APPS+=("$1"); }

now_ns() { date +%s%N; }

# ---- 1. throughput ------------------------------------------------------------------------------------------
echo "== throughput: $LINES lines as fast as the container can write them"
APP_TP=logbench-tp-$RUN_ID
deploy "$APP_TP" "ticker $LINES 0; exec sleep 1000000"
last_line() { api GET "/apps/$APP_TP/logs?tail=1" | jq -r '.line // empty'; }
deadline=$(( $(date +%s) + 600 ))
while :; do
  line=$(last_line || true)
  [[ ${line%% *} == "$LINES" ]] && { stored_at=$(now_ns); break; }
  (( $(date +%s) < deadline )) || bench_die "the API had not stored line $LINES after 10 minutes (last: '$line')"
  sleep 0.02
done
api GET "/apps/$APP_TP/logs?tail=all" >"$WORK/slipway-tp.ndjson"
read -r S_FIRST_TS S_LAST_TS S_CHECK < <("$PYTHON" - "$WORK/slipway-tp.ndjson" "$LINES" <<'PY'
import json, sys
n_expected, seqs, first, last = int(sys.argv[2]), [], None, None
for raw in open(sys.argv[1]):
    n, ts = json.loads(raw)["line"].split()
    seqs.append(int(n))
    if int(n) == 1: first = ts
    if int(n) == n_expected: last = ts
ok = seqs == list(range(1, n_expected + 1))
print(first, last, "all-%d-in-order" % n_expected if ok else "MISMATCH:%d-lines" % len(seqs))
PY
)
S_TP=$(echo "scale=0; $LINES * 1000000000 / ($stored_at - $S_FIRST_TS)" | bc)
S_WRITE=$(echo "scale=0; $LINES * 1000000000 / ($S_LAST_TS - $S_FIRST_TS + 1)" | bc)
echo "slipway: $S_TP lines/s stored end to end (container wrote $S_WRITE lines/s); read back: $S_CHECK"

dk "$DOCKERD_SOCK" run -d --name tp --network none "$IMAGE" ticker "$LINES" 0 >/dev/null
dk "$DOCKERD_SOCK" wait tp >/dev/null
t0=$(now_ns); dk "$DOCKERD_SOCK" logs tp >"$WORK/dockerd-tp.txt"; t1=$(now_ns)
D_COUNT=$(wc -l <"$WORK/dockerd-tp.txt")
D_READ=$(echo "scale=0; $D_COUNT * 1000000000 / ($t1 - $t0)" | bc)
D_WRITE=$(awk -v n="$LINES" 'NR==1 {f=$2} END {printf "%d", n * 1e9 / ($2 - f + 1)}' "$WORK/dockerd-tp.txt")
echo "dockerd: container wrote $D_WRITE lines/s (json-file); docker logs read back $D_COUNT lines at $D_READ lines/s"
dk "$DOCKERD_SOCK" rm -f tp >/dev/null
remove_app "$APP_TP" # frees its CPU on the worker for the next app

# ---- 2. latency at 1,000 lines/s ---------------------------------------------------------------------------
cat >"$WORK/follow.py" <<'PY'
# follow.py <expected lines> <timeout s> <out file> [url token]: reads "<n> <ns>" lines from an SSE stream (url)
# or from stdin (docker logs -f), writes one latency in ms per received line, stops at line <expected>.
import json, os, re, sys, threading, time, urllib.request
expected, timeout, out = int(sys.argv[1]), float(sys.argv[2]), open(sys.argv[3], "w")
watchdog = threading.Timer(timeout, lambda: (print("follow.py: no end after %ss" % timeout, file=sys.stderr), os._exit(3)))
watchdog.daemon = True
watchdog.start()
if len(sys.argv) > 4:
    req = urllib.request.Request(sys.argv[4], headers={"Authorization": "Bearer " + sys.argv[5]})
    stream = urllib.request.urlopen(req, timeout=timeout)
    def lines():
        for raw in stream:
            if raw.startswith(b"data:"):
                yield json.loads(raw[5:])["line"]
            elif raw.startswith(b"event: dropped"):
                print("dropped", file=sys.stderr)
else:
    def lines():
        for raw in sys.stdin:
            yield raw
deadline = time.monotonic() + timeout
for text in lines():
    got = time.time_ns()
    n, ts = text.split()
    out.write(f"{(got - int(ts)) / 1e6:.3f}\n")
    if int(n) >= expected or time.monotonic() > deadline:
        break
out.close()  # before the interpreter's exit, which need not flush a file while the watchdog thread still runs
PY
echo "== latency: $RATE lines/s for $((RATE_LINES / RATE)) s, write -> follower"
APP_LAT=logbench-lat-$RUN_ID
create_app "$APP_LAT"
"$PYTHON" "$WORK/follow.py" "$RATE_LINES" 60 "$WORK/slipway-lat" \
  "$API/api/v1/tenants/$TENANT/apps/$APP_LAT/logs?follow=true&tail=0" "$PAT" &
follower=$!
sleep 1
deploy "$APP_LAT" "sleep 2; ticker $RATE_LINES $RATE; exec sleep 1000000"
wait "$follower" || bench_die "the SSE follower failed"
remove_app "$APP_LAT"

dk "$DOCKERD_SOCK" run -d --name lat --network none "$IMAGE" sh -c "sleep 2; ticker $RATE_LINES $RATE" >/dev/null
dk "$DOCKERD_SOCK" logs -f lat | "$PYTHON" "$WORK/follow.py" "$RATE_LINES" 60 "$WORK/dockerd-lat"
dk "$DOCKERD_SOCK" rm -f lat >/dev/null
for e in slipway dockerd; do
  declare "${e^^}_P50=$(percentile 50 <"$WORK/$e-lat")" "${e^^}_P99=$(percentile 99 <"$WORK/$e-lat")"
  declare "${e^^}_MAX=$(sort -n "$WORK/$e-lat" | tail -n 1)" "${e^^}_N=$(wc -l <"$WORK/$e-lat")"
done
echo "slipway: $SLIPWAY_N lines, p50 $SLIPWAY_P50 ms, p99 $SLIPWAY_P99 ms, max $SLIPWAY_MAX ms"
echo "dockerd: $DOCKERD_N lines, p50 $DOCKERD_P50 ms, p99 $DOCKERD_P99 ms, max $DOCKERD_MAX ms"

# ---- 3. fan-out ----------------------------------------------------------------------------------------------
echo "== fan-out: $FAN_VIEWERS SSE followers of one app writing $FAN_RATE lines/s for $((FAN_LINES / FAN_RATE)) s"
APP_FAN=logbench-fan-$RUN_ID
create_app "$APP_FAN"
"$PYTHON" - "$API/api/v1/tenants/$TENANT/apps/$APP_FAN/logs?follow=true&tail=0" "$PAT" "$FAN_VIEWERS" \
  "$FAN_LINES" >"$WORK/fan.out" <<'PY' &
# Opens N followers, waits until all are connected (the caller deploys then), counts what each receives.
import re, sys, threading, time, urllib.request
url, token, viewers, expected = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
number = re.compile(rb'"line":"(\d+) ')
results, connected = [None] * viewers, threading.Semaphore(0)
def follow(i):
    seqs, dropped = [], 0
    try:
        req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(req, timeout=60) as stream:
            connected.release()
            for raw in stream:
                if raw.startswith(b"data:"):
                    m = number.search(raw)
                    if m:
                        seqs.append(int(m.group(1)))
                        if seqs[-1] >= expected:
                            break
                elif raw.startswith(b"event: dropped"):
                    dropped += 1
    except Exception as e:
        connected.release()
        results[i] = (seqs, dropped, repr(e))
        return
    results[i] = (seqs, dropped, None)
threads = [threading.Thread(target=follow, args=(i,), daemon=True) for i in range(viewers)]
for t in threads: t.start()
for _ in range(viewers): connected.acquire()
print("all connected", file=sys.stderr)
for t in threads: t.join(120)
want = list(range(1, expected + 1))
counts = [len(r[0]) if r else 0 for r in results]
exact = sum(1 for r in results if r and r[0] == want)
print(min(counts), max(counts), exact, sum(r[1] for r in results if r), sum(1 for r in results if r and r[2]))
PY
fan=$!
sleep 5
deploy "$APP_FAN" "sleep 3; ticker $FAN_LINES $FAN_RATE; exec sleep 1000000"
wait "$fan" || bench_die "the fan-out clients failed"
read -r FAN_MIN FAN_MAX FAN_EXACT FAN_DROPPED FAN_ERRORS <"$WORK/fan.out"
echo "fan-out: lines per follower min $FAN_MIN max $FAN_MAX; exactly 1..$FAN_LINES in order: $FAN_EXACT of $FAN_VIEWERS;" \
  "dropped events $FAN_DROPPED; client errors $FAN_ERRORS"

# ---- figures -------------------------------------------------------------------------------------------------
DOCKERD_VERSION=$(dk "$DOCKERD_SOCK" version -f '{{.Server.Version}}')
MACHINE=$(bench_machine)
SECTION=$(cat <<MD
<!-- logs-benchmark:start (written by bench/logs.sh; do not edit by hand) -->
## Logs: end-to-end throughput, write-to-follower latency, 200 followers

Measured by \`bench/logs.sh $LINES\` $MACHINE. Slipway as \`./slipway up\` runs it (worker on the same host,
API, PostgreSQL); dockerd $DOCKERD_VERSION with its default json-file driver, its own data-root. The container
is the same image on both: busybox-static and \`ticker\`, a static C program printing "<n> <ns timestamp>" lines.

| figure | Slipway | dockerd | ratio Slipway / dockerd | target |
|---|---|---|---|---|
| $LINES lines as fast as possible: lines/s end to end (Slipway: first write -> line $LINES readable in the logs API; dockerd: \`docker logs\` read-back) | $S_TP | $D_READ | $(ratio "$S_TP" "$D_READ") | >= 100000 and >= 1 |
| the same container's write rate, lines/s | $S_WRITE | $D_WRITE | | |
| latency write -> follower at $RATE lines/s, p50 (SSE client / \`docker logs -f\`) | $SLIPWAY_P50 ms | $DOCKERD_P50 ms | | |
| latency p99 | $SLIPWAY_P99 ms | $DOCKERD_P99 ms | | <= 50 ms |
| latency max | $SLIPWAY_MAX ms | $DOCKERD_MAX ms | | |
| $FAN_VIEWERS SSE followers, $FAN_LINES lines at $FAN_RATE lines/s: followers with every line exactly once, in order | $FAN_EXACT of $FAN_VIEWERS | | | all |

Slipway's read-back of the throughput run: $S_CHECK. Fan-out: lines per follower min $FAN_MIN, max $FAN_MAX;
\`dropped\` events $FAN_DROPPED; client errors $FAN_ERRORS. Latency samples: Slipway $SLIPWAY_N, dockerd $DOCKERD_N lines.
<!-- logs-benchmark:end -->
MD
)
echo "$SECTION"
bench_write_section logs "$SECTION"
