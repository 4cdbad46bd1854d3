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
