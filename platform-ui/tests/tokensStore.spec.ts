// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useTokensStore } from '../src/stores/tokens'
import { FakeServer, apiError, json } from './fakeServer'

const existing = { id: 't1', name: 'ci', scopes: ['read'], createdAt: '2026-11-01T10:00:00Z', expiresAt: '2027-01-01T00:00:00Z' }

describe('tokens store', () => {
  let server: FakeServer

  beforeEach(() => {
    setActivePinia(createPinia())
    server = new FakeServer().install()
    server.on('GET /api/v1/tokens', () => json(200, [existing]))
  })

  it('keeps a new secret only in `revealed`, never in the list', async () => {
    server.on('POST /api/v1/tokens', (body) =>
      json(201, { id: 't2', ...(body as object), token: 'slp_secret', createdAt: '2026-11-23T10:00:00Z', expiresAt: '2026-12-23T10:00:00Z' }),
    )
    const store = useTokensStore()
    await store.load()
    await store.create({ name: 'deploy', scopes: ['read', 'registry:push'], expiresInDays: 30 })

    expect(server.requests.at(-1)?.body).toEqual({ name: 'deploy', scopes: ['read', 'registry:push'], expiresInDays: 30 })
    expect(store.revealed?.token).toBe('slp_secret')
    expect(store.tokens.map((t) => t.name)).toEqual(['deploy', 'ci'])
    expect(JSON.stringify(store.tokens)).not.toContain('slp_secret')

    store.dismissSecret()
    expect(store.revealed).toBeNull()
  })

  it('leaves the list as it was when creation fails', async () => {
    server.on('POST /api/v1/tokens', () => apiError(400, 'INVALID_FIELD', 'scopes: unknown scope "root"'))
    const store = useTokensStore()
    await store.load()

    await expect(store.create({ name: 'x', scopes: ['read'], expiresInDays: 30 })).rejects.toMatchObject({
      code: 'INVALID_FIELD',
      message: 'scopes: unknown scope "root"',
    })
    expect(store.tokens).toEqual([existing])
    expect(store.revealed).toBeNull()
  })

  it('marks a token revoked only after the API agreed', async () => {
    const store = useTokensStore()
    await store.load()

    server.on('DELETE /api/v1/tokens/t1', () => apiError(404, 'TOKEN_NOT_FOUND', 'No such token.'))
    await expect(store.revoke('t1')).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' })
    expect(store.tokens).toEqual([existing])

    server.on('DELETE /api/v1/tokens/t1', () => new Response(null, { status: 204 }))
    await store.revoke('t1')
    expect(store.tokens[0]).toMatchObject({ id: 't1', active: false })
    expect(store.tokens[0].revokedAt).toBeTruthy()
  })
})
