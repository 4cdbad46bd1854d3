import type { DeploymentRequest, Quota, Release } from '../api/types'

/**
 * The deploy form's model, its checks and its translation into a deployment request. The checks mirror the
 * API's (docs/apps.md "Fields and limits") so most mistakes are shown beside their field before anything is
 * sent; the API stays the judge (a refusal is shown with its message), because quota usage changes while the
 * form is open.
 */
export interface EnvRow {
  key: string
  value: string
  /** Secret rows go to the app's config (never shown back), not into the release (shown to every viewer). */
  secret: boolean
}

export interface DeployForm {
  image: string
  /** One argument per line; empty = the image's own command. */
  command: string
  port: number | string
  replicas: number | string
  cpu: number | string
  memoryMb: number | string
  pids: number | string
  healthPath: string
  env: EnvRow[]
}

export const LIMITS = {
  replicas: { min: 0, max: 100 },
  cpu: { min: 0.05, max: 16 },
  memoryMb: { min: 16, max: 65536 },
  pids: { min: 16, max: 65536 },
  port: { min: 1, max: 65535 },
  envEntries: 200,
  envValueChars: 32 * 1024,
} as const

export type FieldErrors = Partial<Record<'image' | 'command' | 'port' | 'replicas' | 'cpu' | 'memoryMb' | 'pids' | 'healthPath' | 'env' | 'quota', string>>

const IMAGE = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Starts from the previous release; replicas from the app's current scale, so a deploy never undoes a scale. */
export function emptyDeployForm(previous?: Release | null, currentReplicas?: number): DeployForm {
  return {
    image: previous?.image ?? '',
    command: previous?.command?.join('\n') ?? '',
    port: previous?.port ?? 8080,
    replicas: currentReplicas || previous?.replicas || 1,
    cpu: previous?.resources.cpu ?? 0.25,
    memoryMb: previous?.resources.memoryMb ?? 128,
    pids: previous?.resources.pids ?? 256,
    healthPath: previous?.healthCheck?.path ?? '',
    env: Object.entries(previous?.env ?? {}).map(([key, value]) => ({ key, value, secret: false })),
  }
}

function numberIn(value: number | string, min: number, max: number, integer: boolean): string | null {
  const text = String(value).trim()
  if (text === '') return 'is required'
  const n = Number(text)
  if (!Number.isFinite(n)) return 'must be a number'
  if (integer && !Number.isInteger(n)) return 'must be a whole number'
  if (n < min || n > max) return `must be between ${min} and ${max}`
  return null
}

/** What this app already counts against the quota: its current release times its desired replicas. */
export interface CurrentUse {
  replicas: number
  cpu: number
  memoryMb: number
}

export function validateDeployForm(form: DeployForm, quota: Quota | null, current: CurrentUse | null): FieldErrors {
  const errors: FieldErrors = {}
  const image = form.image.trim()
  if (image === '') errors.image = 'Image: pick a repository and tag, or paste a reference.'
  else if (!IMAGE.test(image)) errors.image = `Image: “${image}” is not an image reference ([host[:port]/]path[:tag][@sha256:digest], lower-case path).`

  const args = commandArgs(form.command)
  if (args.length > 256) errors.command = 'Command: at most 256 arguments.'

  const checks: [keyof FieldErrors, string, number | string, number, number, boolean][] = [
    ['port', 'Port', form.port, LIMITS.port.min, LIMITS.port.max, true],
    ['replicas', 'Replicas', form.replicas, LIMITS.replicas.min, LIMITS.replicas.max, true],
    ['cpu', 'CPU', form.cpu, LIMITS.cpu.min, LIMITS.cpu.max, false],
    ['memoryMb', 'Memory (MiB)', form.memoryMb, LIMITS.memoryMb.min, LIMITS.memoryMb.max, true],
    ['pids', 'Processes (pids)', form.pids, LIMITS.pids.min, LIMITS.pids.max, true],
  ]
  for (const [field, label, value, min, max, integer] of checks) {
    const problem = numberIn(value, min, max, integer)
    if (problem) errors[field] = `${label} ${problem}.`
  }
  if (!errors.cpu && !/^\d*(?:\.\d{0,3})?$/.test(String(form.cpu).trim())) errors.cpu = 'CPU: at most 3 decimals.'

  const path = form.healthPath.trim()
  if (path !== '' && !path.startsWith('/')) errors.healthPath = 'Health check path must start with “/”.'

  const envProblem = validateEnv(form.env)
  if (envProblem) errors.env = envProblem

  if (quota && !errors.replicas && !errors.cpu && !errors.memoryMb) {
    const problem = quotaProblem(quota, current, Number(form.replicas), Number(form.cpu), Number(form.memoryMb))
    if (problem) errors.quota = problem
  }
  return errors
}

export function validateEnv(rows: readonly EnvRow[]): string | null {
  const filled = rows.filter((r) => r.key.trim() !== '' || r.value !== '')
  if (filled.length > LIMITS.envEntries) return `Environment: at most ${LIMITS.envEntries} variables.`
  const seen = new Set<string>()
  for (const row of filled) {
    const key = row.key.trim()
    if (!ENV_KEY.test(key)) return `Environment: “${key}” is not a variable name (letters, digits and _, not starting with a digit).`
    if (seen.has(key)) return `Environment: ${key} is set twice.`
    seen.add(key)
    if (row.value.length > LIMITS.envValueChars) return `Environment: the value of ${key} is longer than 32 KiB.`
  }
  return null
}

/**
 * Whether the tenant's quota allows this app to run `replicas` x (`cpu`, `memoryMb`), counting the other apps'
 * usage as the API does (usage minus what this app uses now).
 */
export function quotaProblem(quota: Quota, current: CurrentUse | null, replicas: number, cpu: number, memoryMb: number): string | null {
  const mine = current ?? { replicas: 0, cpu: 0, memoryMb: 0 }
  const others = {
    instances: Math.max(0, quota.usage.instances - mine.replicas),
    cpu: Math.max(0, quota.usage.cpu - mine.replicas * mine.cpu),
    memoryMb: Math.max(0, quota.usage.memoryMb - mine.replicas * mine.memoryMb),
  }
  const wanted = { instances: replicas, cpu: round3(replicas * cpu), memoryMb: replicas * memoryMb }
  const { limits } = quota
  if (others.instances + wanted.instances > limits.maxInstances) {
    return `Quota: ${wanted.instances} instances would bring the tenant to ${others.instances + wanted.instances} (other apps use ${others.instances}); the limit is ${limits.maxInstances}.`
  }
  if (round3(others.cpu + wanted.cpu) > limits.maxCpu) {
    return `Quota: ${replicas} × ${cpu} CPU would bring the tenant to ${round3(others.cpu + wanted.cpu)} CPUs (other apps use ${round3(others.cpu)}); the limit is ${limits.maxCpu}.`
  }
  if (others.memoryMb + wanted.memoryMb > limits.maxMemoryMb) {
    return `Quota: ${replicas} × ${memoryMb} MiB would bring the tenant to ${others.memoryMb + wanted.memoryMb} MiB (other apps use ${others.memoryMb}); the limit is ${limits.maxMemoryMb} MiB.`
  }
  return null
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000
}

export function commandArgs(command: string): string[] {
  return command.split('\n').map((a) => a.trim()).filter((a) => a !== '')
}

/** The request for the API; secret env rows are left out (the caller saves them in the app's config). */
export function toDeploymentRequest(form: DeployForm): DeploymentRequest {
  const env: Record<string, string> = {}
  for (const row of form.env) {
    if (row.key.trim() !== '' && !row.secret) env[row.key.trim()] = row.value
  }
  const args = commandArgs(form.command)
  const request: DeploymentRequest = {
    image: form.image.trim(),
    env,
    port: Number(form.port),
    replicas: Number(form.replicas),
    resources: { cpu: Number(form.cpu), memoryMb: Number(form.memoryMb), pids: Number(form.pids) },
  }
  if (args.length > 0) request.command = args
  const path = form.healthPath.trim()
  if (path !== '') request.healthCheck = { path }
  return request
}

export function secretRows(form: DeployForm): EnvRow[] {
  return form.env.filter((r) => r.secret && r.key.trim() !== '')
}
