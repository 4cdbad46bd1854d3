// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { ApiClient, ApiError } from '../src/api/client'
import { FakeServer, apiError, json } from './fakeServer'

describe('ApiClient', () => {
  it('sends the bearer token and JSON body', async () => {
    const server = new FakeServer().on('POST /api/v1/tenants', (body) => json(201, { name: (body as { name: string }).name }))
    const created = await server.client().post<{ name: string }>('/api/v1/tenants', { name: 'acme' })

    expect(created.name).toBe('acme')
    expect(server.requests[0].headers.Authorization).toBe('Bearer access-token')
    expect(server.requests[0].headers['Content-Type']).toBe('application/json')
    expect(server.requests[0].body).toEqual({ name: 'acme' })
  })

  it('sends no Authorization header when nobody is signed in', async () => {
    const server = new FakeServer().on('GET /api/v1/me', () => json(200, {}))
    server.token = null
    await server.client().get('/api/v1/me')
    expect(server.requests[0].headers.Authorization).toBeUndefined()
  })

  it("turns the API's error body into an ApiError with its code and message", async () => {
    const server = new FakeServer().on('POST /api/v1/tenants', () =>
      apiError(409, 'TENANT_EXISTS', 'A tenant named acme already exists.'),
    )
    const failure = await server.client().post('/api/v1/tenants', { name: 'acme' }).catch((e: unknown) => e)

    expect(failure).toBeInstanceOf(ApiError)
    expect(failure).toMatchObject({ status: 409, code: 'TENANT_EXISTS', message: 'A tenant named acme already exists.' })
  })

  it('gives a readable message when the error body is not the API format', async () => {
    const server = new FakeServer().on('GET /api/v1/me', () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }))
    const failure = (await server.client().get('/api/v1/me').catch((e: unknown) => e)) as ApiError

    expect(failure.code).toBe('HTTP_502')
    expect(failure.message).toContain('HTTP 502')
  })

  it('reports an unreachable API as a network error', async () => {
    const client = new ApiClient({
      accessToken: async () => null,
      onUnauthorized: () => {},
      fetch: async () => {
        throw new TypeError('Failed to fetch')
      },
    })
    const failure = (await client.get('/api/v1/me').catch((e: unknown) => e)) as ApiError

    expect(failure.code).toBe('NETWORK_ERROR')
    expect(failure.message).toContain('Failed to fetch')
  })

  it('tells its owner about a 401 and still rejects', async () => {
    const server = new FakeServer().on('GET /api/v1/me', () => apiError(401, 'UNAUTHORIZED', 'The token has expired.'))
    const failure = (await server.client().get('/api/v1/me').catch((e: unknown) => e)) as ApiError

    expect(server.unauthorized).toHaveLength(1)
    expect(failure.status).toBe(401)
    expect(failure.message).toBe('The token has expired.')
  })

  it('does not treat other errors as a lost session', async () => {
    const server = new FakeServer().on('GET /api/v1/me', () => apiError(403, 'FORBIDDEN', 'Needs admin.'))
    await server.client().get('/api/v1/me').catch(() => undefined)
    expect(server.unauthorized).toHaveLength(0)
  })

  it('resolves a 204 to undefined', async () => {
    const server = new FakeServer().on('DELETE /api/v1/tokens/t1', () => new Response(null, { status: 204 }))
    await expect(server.client().delete('/api/v1/tokens/t1')).resolves.toBeUndefined()
  })
})
