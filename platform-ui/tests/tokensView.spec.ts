import { beforeEach, describe, expect, it } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import TokensView from '../src/views/TokensView.vue'
import { FakeServer, apiError, json } from './fakeServer'

describe('TokensView', () => {
  let server: FakeServer

  beforeEach(() => {
    setActivePinia(createPinia())
    server = new FakeServer().install()
    server.on('GET /api/v1/tokens', () =>
      json(200, [{ id: 't1', name: 'ci', scopes: ['read'], createdAt: '2026-11-01T10:00:00Z', expiresAt: '2099-01-01T00:00:00Z' }]),
    )
  })

  async function mountView() {
    const wrapper = mount(TokensView, { attachTo: document.body })
    await flushPromises()
    return wrapper
  }

  it('creates a token with the chosen scopes and expiry and shows its secret once', async () => {
    server.on('POST /api/v1/tokens', (body) =>
      json(201, { id: 't2', ...(body as object), token: 'slp_abc', createdAt: '2026-11-23T10:00:00Z', expiresAt: '2027-11-23T10:00:00Z' }),
    )
    const wrapper = await mountView()

    await wrapper.get('#token-name').setValue('deploy')
    await wrapper.get('input[value="registry:push"]').setValue(true)
    await wrapper.get('#token-expiry').setValue('365')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(server.requests.at(-1)?.body).toEqual({ name: 'deploy', scopes: ['read', 'registry:push'], expiresInDays: 365 })
    expect((wrapper.get('#secret-value').element as HTMLInputElement).value).toBe('slp_abc')
    // How to use it, for the scopes it has: registry login and API calls.
    const usage = wrapper.findAll('.token-usage pre').map((p) => p.text())
    expect(usage).toHaveLength(2)
    expect(usage[0]).toMatch(/^echo 'slp_abc' \| docker login \S+ -u <username> --password-stdin$/)
    expect(usage[1]).toContain("Authorization: Bearer slp_abc")
    expect(wrapper.findAll('tbody tr').map((r) => r.attributes('data-token'))).toEqual(['deploy', 'ci'])

    await wrapper.findAll('.secret button').find((b) => b.text() === 'I have copied it')!.trigger('click')
    expect(wrapper.find('#secret-value').exists()).toBe(false)
    wrapper.unmount()
  })

  it("shows the API's message when creation fails", async () => {
    server.on('POST /api/v1/tokens', () => apiError(403, 'FORBIDDEN', 'A token cannot have the admin scope: you are no admin anywhere.'))
    const wrapper = await mountView()

    await wrapper.get('#token-name').setValue('too-much')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(wrapper.get('[role="alert"]').text()).toContain('A token cannot have the admin scope')
    expect(wrapper.get('[role="alert"]').text()).toContain('FORBIDDEN')
    wrapper.unmount()
  })

  it('revokes a token only after confirmation', async () => {
    server.on('DELETE /api/v1/tokens/t1', () => new Response(null, { status: 204 }))
    const wrapper = await mountView()

    await wrapper.get('button[aria-label="Revoke ci"]').trigger('click')
    await flushPromises()
    expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false)
    expect(wrapper.get('dialog').attributes('open')).toBeDefined()

    await wrapper.get('dialog .btn-danger').trigger('click')
    await flushPromises()
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/v1/tokens/t1' })
    expect(wrapper.get('tbody tr[data-token="ci"]').attributes('data-status')).toBe('revoked')
    expect(wrapper.find('button[aria-label="Revoke ci"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
