import type { ApiClient } from './client'
import type {
  AccessToken, Accepted, App, AppConfig, AuditPage, CreatedAccessToken, DeploymentRequest, Me, Member, Metrics,
  NewAccessToken, Quota, RegistryUsage, Release, RepositoryDetail, RepositorySummary, Role, Tenant, UiConfig,
  Visibility,
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

export const appsApi = (api: ApiClient, tenant: string) => {
  const base = `/api/v1/tenants/${seg(tenant)}/apps`
  const app = (name: string) => `${base}/${seg(name)}`
  return {
    list: () => api.get<App[]>(base),
    get: (name: string) => api.get<App>(app(name)),
    create: (name: string) => api.post<App>(base, { name }),
    remove: (name: string) => api.delete(app(name)),
    deploy: (name: string, request: DeploymentRequest) => api.post<Accepted>(`${app(name)}/deployments`, request),
    releases: (name: string) => api.get<Release[]>(`${app(name)}/releases`),
    rollback: (name: string, release: string) => api.post<Accepted>(`${app(name)}/rollback`, { release }),
    scale: (name: string, replicas: number) => api.post<App>(`${app(name)}/scale`, { replicas }),
    restart: (name: string) => api.post<{ restartGeneration: number }>(`${app(name)}/restart`),
    config: (name: string) => api.get<AppConfig>(`${app(name)}/config`),
    putConfig: (name: string, config: AppConfig) => api.put<AppConfig>(`${app(name)}/config`, config),
    metrics: (name: string, since?: string) =>
      api.get<Metrics>(`${app(name)}/metrics${since ? `?since=${seg(since)}` : ''}`),
  }
}

export const quotaApi = (api: ApiClient, tenant: string) => ({
  get: () => api.get<Quota>(`/api/v1/tenants/${seg(tenant)}/quota`),
})

/** Repository names may contain '/', which stays a path separator; each part is encoded on its own. */
const repoPath = (name: string) => name.split('/').map(seg).join('/')

export const registryApi = (api: ApiClient, tenant: string) => {
  const base = `/api/v1/tenants/${seg(tenant)}`
  return {
    list: () => api.get<RepositorySummary[]>(`${base}/repositories`),
    get: (name: string) => api.get<RepositoryDetail>(`${base}/repositories/${repoPath(name)}`),
    setVisibility: (name: string, visibility: Visibility) =>
      api.put<unknown>(`${base}/repositories/${repoPath(name)}/visibility`, { visibility }),
    deleteTag: (name: string, tag: string) => api.delete(`${base}/repositories/${repoPath(name)}/tags/${seg(tag)}`),
    usage: () => api.get<RegistryUsage>(`${base}/registry/usage`),
  }
}

/**
 * A repository's name inside its tenant (`web` for `demo/web`): what the browse API's paths and image
 * references after `<host>/<tenant>/` take. The API lists full names (`demo/web`).
 */
export function repositoryInTenant(repository: { name: string; tenant: string }): string {
  const prefix = `${repository.tenant}/`
  return repository.name.startsWith(prefix) ? repository.name.slice(prefix.length) : repository.name
}
