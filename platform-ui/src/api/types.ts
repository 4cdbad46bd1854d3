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
  email?: string | null
  platformAdmin?: boolean
  tenants: TenantMembership[]
}

export interface Tenant {
  id: string
  name: string
  createdAt: string
}

export interface Member {
  username: string
  role: Role
  email?: string | null
  since?: string
}

export interface AccessToken {
  id: string
  name: string
  scopes: Scope[]
  createdAt: string
  expiresAt: string
  hint?: string
  revokedAt?: string | null
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
  occurredAt: string
  tenant?: string | null
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
