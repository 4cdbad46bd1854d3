import { ApiClient } from '../src/api/client'
import { provideApi } from '../src/api/http'

type Handler = (body: unknown, request: { url: string; init: RequestInit }) => Response | Promise<Response>

/**
 * A stand-in for platform-api in unit tests: answers `METHOD /path` with canned responses and records
 * every request. The real API is exercised by the Playwright test in e2e/.
 */
export class FakeServer {
  readonly requests: { method: string; path: string; body: unknown; headers: Record<string, string> }[] = []
  readonly unauthorized: number[] = []
  private readonly routes = new Map<string, Handler>()
  token: string | null = 'access-token'

  on(route: string, handler: Handler): this {
    this.routes.set(route, handler)
    return this
  }

  readonly fetch = async (url: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const method = init.method ?? 'GET'
    const path = String(url)
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined
    this.requests.push({ method, path, body, headers: { ...(init.headers as Record<string, string>) } })
    const handler = this.routes.get(`${method} ${path}`)
    if (!handler) return json(404, { error: { code: 'NOT_FOUND', message: `No route ${method} ${path}` } })
    return handler(body, { url: path, init })
  }

  client(): ApiClient {
    return new ApiClient({
      accessToken: async () => this.token,
      onUnauthorized: () => this.unauthorized.push(Date.now()),
      fetch: this.fetch,
    })
  }

  /** Makes the stores use this server. */
  install(): this {
    provideApi(this.client())
    return this
  }
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

export function apiError(status: number, code: string, message: string): Response {
  return json(status, { error: { code, message } })
}

/**
 * A fresh Pinia and fake API with `demo` signed in as `role` of tenant `demo` (the tenants store loaded):
 * the starting point of every page test.
 */
export async function signedInAs(role: string): Promise<FakeServer> {
  localStorage.clear()
  const { createPinia, setActivePinia } = await import('pinia')
  setActivePinia(createPinia())
  const server = new FakeServer().install()
  server.on('GET /api/v1/me', () => json(200, { id: 'u1', username: 'demo', platformAdmin: false, tenants: [{ name: 'demo', role }] }))
  const { useTenantsStore } = await import('../src/stores/tenants')
  await useTenantsStore().load()
  return server
}
