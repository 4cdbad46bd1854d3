/** Wire types of platform-api's /api/v1 (see docs/api in the repository). */

export type Role = 'viewer' | 'developer' | 'admin' | 'owner'
export const ROLES: readonly Role[] = ['viewer', 'developer', 'admin', 'owner']

export type Scope = 'read' | 'write' | 'registry:pull' | 'registry:push' | 'admin'
export const SCOPES: readonly Scope[] = ['read', 'write', 'registry:pull', 'registry:push', 'admin']

export interface UiConfig {
  oidc: { authority: string; clientId: string }
  registryHost: string
  appsDomain: string
}

export interface TenantMembership {
  name: string
  role: Role
}

export interface Me {
  id: string
  username: string
  platformAdmin: boolean
  tenants: TenantMembership[]
  /** Set when the caller authenticated with a personal access token rather than a session. */
  token?: { id: string; scopes: Scope[] } | null
}

export interface Tenant {
  name: string
  role: Role
  createdAt: string
}

export interface Member {
  username: string
  role: Role
  since: string
}

export interface AccessToken {
  id: string
  name: string
  scopes: Scope[]
  createdAt: string
  expiresAt: string
  /** The secret's first characters, e.g. "slp_ab12...", to tell tokens apart. */
  hint?: string
  revokedAt?: string | null
  /** Neither revoked nor expired. */
  active?: boolean
}

export interface CreatedAccessToken extends AccessToken {
  /** The secret: returned only by the create call, never again. */
  token: string
}

export interface NewAccessToken {
  name: string
  scopes: Scope[]
  expiresInDays: number
}

export interface AuditEntry {
  id: number
  at: string
  actor?: string | null
  tokenId?: string | null
  sourceIp?: string | null
  action: string
  target?: string | null
  details?: Record<string, unknown>
}

export interface AuditPage {
  items: AuditEntry[]
  page: number
  size: number
  total: number
}

// ---- Apps (docs/apps.md) -------------------------------------------------------------------------------

/** `new` (never deployed), `stopped` (0 replicas), else the current release's status. */
export type AppStatus = 'new' | 'stopped' | 'pending' | 'running' | 'failed' | 'superseded' | string

export interface Instance {
  id: string
  release: string
  /** The worker's name; null while the instance waits for one. */
  worker: string | null
  /** `running`, or `stopped` for an instance being stopped. */
  desiredState?: string
  /** pending, assigned, pulling, starting, running, exited, failed, lost ... as the worker reports it. */
  state: string
  reason?: string | null
  healthy?: boolean
  restarts: number
  lastExitCode?: number | null
  oomKilled: boolean
  startedAt?: string | null
  lastLog?: string[] | null
}

export interface App {
  name: string
  status: AppStatus
  /** Why the app is pending, or which newer release failed and was rolled back. */
  statusReason?: string | null
  currentRelease: string | null
  image: string | null
  desiredReplicas: number
  restartGeneration: number
  instances: Instance[]
  createdAt: string
}

export interface Resources {
  cpu: number
  memoryMb: number
  pids: number
}

export interface HealthCheck {
  path: string
  intervalSeconds?: number
  timeoutSeconds?: number
}

export interface Release {
  id: string
  release: string
  image: string
  imageDigest: string | null
  command: string[] | null
  env: Record<string, string>
  port: number
  replicas: number
  resources: Resources
  healthCheck: HealthCheck | null
  rollbackOf: string | null
  status: string
  statusReason: string | null
  createdBy: string | null
  createdAt: string
}

export interface DeploymentRequest {
  image: string
  command?: string[]
  env?: Record<string, string>
  port: number
  replicas: number
  resources: Resources
  healthCheck?: HealthCheck
}

export interface Accepted {
  id: string
  release: string
  status: string
}

export interface AppConfig {
  env: Record<string, string>
  secrets: string[]
}

export interface Quota {
  limits: { maxInstances: number; maxCpu: number; maxMemoryMb: number }
  usage: { instances: number; cpu: number; memoryMb: number }
}

// ---- Registry browse (docs/registry.md) -----------------------------------------------------------------

export type Visibility = 'public' | 'private'

export interface RepositorySummary {
  name: string
  tenant: string
  visibility: Visibility
  tagCount: number
  createdAt: string
}

export interface Layer {
  digest: string
  size: number
  mediaType: string
}

export interface TagInfo {
  name: string
  digest: string
  mediaType: string
  size: number
  pushedAt: string
  pushedBy: string | null
  layers: Layer[]
}

export interface RepositoryDetail {
  name: string
  tenant: string
  visibility: Visibility
  createdAt: string
  tags: TagInfo[]
}

export interface RegistryUsage {
  tenant: string
  usedBytes: number
  quotaBytes: number
}

// ---- Logs and metrics (CONTRACTS-DEPLOY "REST contracts for the UI") ------------------------------------

export type LogStream = 'stdout' | 'stderr'

export interface LogLine {
  cursor: string
  instanceId: string
  stream: LogStream
  time: string
  line: string
  partial?: boolean
}

export interface MetricPoint {
  at: string
  cpuCores: number
  memoryBytes: number
  memoryLimitBytes: number
}

export interface InstanceMetrics {
  instanceId: string
  points: MetricPoint[]
}

export interface Metrics {
  instances: InstanceMetrics[]
}
