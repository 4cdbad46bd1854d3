import type { ApiClient } from './client'
import type {
  AccessToken, AuditPage, CreatedAccessToken, Me, Member, NewAccessToken, Role, Tenant, UiConfig,
} from './types'

const seg = encodeURIComponent

/** Fetched before anyone signs in, so it goes around the authenticated client. */
export async function fetchUiConfig(fetchImpl: typeof fetch = fetch): Promise<UiConfig> {
  const response = await fetchImpl('/api/v1/ui-config', { headers: { Accept: 'application/json' } })
  if (!response.ok) throw new Error(`Could not load the dashboard configuration (HTTP ${response.status}).`)
  return (await response.json()) as UiConfig
}

export const meApi = (api: ApiClient) => ({
  get: () => api.get<Me>('/api/v1/me'),
})

export const tenantsApi = (api: ApiClient) => ({
  create: (name: string) => api.post<Tenant>('/api/v1/tenants', { name }),
})

export const membersApi = (api: ApiClient, tenant: string) => ({
  list: () => api.get<Member[]>(`/api/v1/tenants/${seg(tenant)}/members`),
  add: (username: string, role: Role) => api.post<Member>(`/api/v1/tenants/${seg(tenant)}/members`, { username, role }),
  changeRole: (username: string, role: Role) =>
    api.put<Member>(`/api/v1/tenants/${seg(tenant)}/members/${seg(username)}`, { role }),
  remove: (username: string) => api.delete(`/api/v1/tenants/${seg(tenant)}/members/${seg(username)}`),
})

export const tokensApi = (api: ApiClient) => ({
  list: () => api.get<AccessToken[]>('/api/v1/tokens'),
  create: (request: NewAccessToken) => api.post<CreatedAccessToken>('/api/v1/tokens', request),
  revoke: (id: string) => api.delete(`/api/v1/tokens/${seg(id)}`),
})

export const auditApi = (api: ApiClient, tenant: string) => ({
  page: (page: number, size: number) =>
    api.get<AuditPage>(`/api/v1/tenants/${seg(tenant)}/audit?page=${page}&size=${size}`),
})
