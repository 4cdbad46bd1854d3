// Builds a small OCI image of busybox httpd from the host's static busybox (no Docker Hub) and pushes it
// into Slipway's registry with skopeo, authenticating with a personal access token, as a user would.
//
// Layer 1: /bin/busybox plus the applet links the app needs; layer 2: /www/index.html (differs per tag, so
// every tag is a different image). The image's own command serves /www on port 8080 and prints a numbered
// line to stdout every 200 ms, which the logs view must show arriving.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BUSYBOX = '/bin/busybox'
const APPLETS = ['sh', 'httpd', 'sleep', 'date']
export const TICK = 'slipway-e2e tick'
export const COMMAND = ['/bin/sh', '-c', `i=0; while true; do i=$((i+1)); echo "${TICK} $i"; sleep 0.2; done & exec httpd -f -v -p 8080 -h /www`]

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex')

function tarOf(work, dir) {
  const out = join(work, `${dir}.tar`)
  execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', join(work, dir), '-cf', out, '.'])
  return readFileSync(out)
}

/** Writes an OCI archive for `tag` whose page says `page`; returns its path. */
export function buildArchive(work, tag, page) {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: install Debian's busybox-static`)
  mkdirSync(join(work, 'base/bin'), { recursive: true })
  if (!existsSync(join(work, 'base/bin/busybox'))) {
    copyFileSync(BUSYBOX, join(work, 'base/bin/busybox'))
    for (const applet of APPLETS) symlinkSync('busybox', join(work, 'base/bin', applet))
  }
  const site = `site-${tag}`
  mkdirSync(join(work, site, 'www'), { recursive: true })
  writeFileSync(join(work, site, 'www/index.html'), page)
  const layers = [tarOf(work, 'base'), tarOf(work, site)]

  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux',
    config: { Cmd: COMMAND, Env: ['PATH=/bin'], ExposedPorts: { '8080/tcp': {} } },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${sha256(l)}`) },
  }))
  const descriptor = (mediaType, bytes) => ({ mediaType, digest: `sha256:${sha256(bytes)}`, size: bytes.length })
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: descriptor('application/vnd.oci.image.config.v1+json', config),
    layers: layers.map((l) => descriptor('application/vnd.oci.image.layer.v1.tar', l)),
  }))

  const layout = join(work, `layout-${tag}`)
  rmSync(layout, { recursive: true, force: true })
  mkdirSync(join(layout, 'blobs/sha256'), { recursive: true })
  for (const blob of [...layers, config, manifest]) writeFileSync(join(layout, 'blobs/sha256', sha256(blob)), blob)
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))
  writeFileSync(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{
    ...descriptor('application/vnd.oci.image.manifest.v1+json', manifest),
    annotations: { 'org.opencontainers.image.ref.name': tag },
  }] }))
  const archive = join(work, `image-${tag}.tar`)
  execFileSync('tar', ['-C', layout, '-cf', archive, '.'])
  return archive
}

/** Pushes `tags` (tag -> page text) to <registry>/<repository> with skopeo, logging in as username:token. */
export function pushImages({ registryHost, repository, username, token, tags }) {
  const work = mkdtempSync(join(tmpdir(), 'slipway-e2e-image-'))
  try {
    for (const [tag, page] of Object.entries(tags)) {
      const archive = buildArchive(work, tag, page)
      execFileSync('skopeo', ['copy', '--quiet', '--dest-creds', `${username}:${token}`, '--dest-tls-verify=false',
        `oci-archive:${archive}`, `docker://${registryHost}/${repository}:${tag}`], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })
    }
  } catch (error) {
    const stderr = error.stderr ? String(error.stderr).trim() : ''
    throw new Error(`skopeo could not push to ${registryHost}/${repository}: ${stderr || error.message}`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
