// The npm steps of the Maven build, each skipped when its inputs did not change since it last succeeded:
//   node scripts/maven-step.mjs deps   -> `npm ci` unless node_modules came from this package-lock.json
//   node scripts/maven-step.mjs build  -> `npm run build` unless sources and lockfile match target/dist
// A full `npm ci` or type check + bundle takes tens of seconds on a busy machine; a stamp check takes none.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

const steps = {
  deps: {
    inputs: ['package-lock.json'],
    stamp: 'node_modules/.slipway-step-deps',
    output: 'node_modules',
    args: ['ci', '--no-audit', '--no-fund'],
  },
  build: {
    inputs: ['package-lock.json', 'index.html', 'vite.config.ts', 'tsconfig.json', 'tsconfig.app.json', 'tsconfig.node.json', 'src', 'public', 'tests'],
    stamp: 'target/.slipway-step-build',
    output: 'target/dist/index.html',
    args: ['run', 'build'],
  },
}

const name = process.argv[2]
const step = steps[name]
if (!step) {
  console.error(`usage: node scripts/maven-step.mjs ${Object.keys(steps).join('|')}`)
  process.exit(2)
}

function files(path) {
  if (!existsSync(path)) return []
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path).sort().flatMap((entry) => files(join(path, entry)))
}

const hash = createHash('sha256')
for (const file of step.inputs.flatMap(files)) {
  hash.update(file).update('\0').update(readFileSync(file)).update('\0')
}
const digest = hash.digest('hex')

if (existsSync(step.output) && existsSync(step.stamp) && readFileSync(step.stamp, 'utf8').trim() === digest) {
  console.log(`[platform-ui] ${name}: inputs unchanged since the last successful run; skipping npm ${step.args.join(' ')}`)
  process.exit(0)
}

const result = spawnSync(npm, step.args, { stdio: 'inherit' })
if (result.status !== 0) {
  console.error(`[platform-ui] npm ${step.args.join(' ')} failed (exit ${result.status ?? result.signal})`)
  process.exit(result.status ?? 1)
}
writeFileSync(step.stamp, digest + '\n')
