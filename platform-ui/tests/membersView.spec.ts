import { beforeEach, describe, expect, it } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import MembersView from '../src/views/MembersView.vue'
import { useTenantsStore } from '../src/stores/tenants'
import { FakeServer, apiError, json } from './fakeServer'

const members = [
  { username: 'demo', role: 'owner', since: '2026-11-01T10:00:00Z' },
  { username: 'alice', role: 'developer', since: '2026-11-02T10:00:00Z' },
]

describe('MembersView', () => {
  let server: FakeServer

  beforeEach(async () => {
    localStorage.clear()
    setActivePinia(createPinia())
    server = new FakeServer().install()
    server
      .on('GET /api/v1/me', () => json(200, { id: 'u1', username: 'demo', platformAdmin: false, tenants: [{ name: 'demo', role: 'owner' }] }))
      .on('GET /api/v1/tenants/demo/members', () => json(200, members))
    await useTenantsStore().load()
  })

  async function mountView() {
    const wrapper = mount(MembersView, { props: { tenant: 'demo' }, attachTo: document.body })
    await flushPromises()
    return wrapper
  }

  it('adds a member with the chosen role', async () => {
    server.on('POST /api/v1/tenants/demo/members', (body) => json(201, { ...(body as object), since: '2026-11-23T10:00:00Z' }))
    const wrapper = await mountView()

    await wrapper.get('#member-username').setValue('bob')
    await wrapper.get('#member-role').setValue('viewer')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(server.requests.at(-1)?.body).toEqual({ username: 'bob', role: 'viewer' })
    expect(wrapper.findAll('tbody tr')).toHaveLength(3)
    expect((wrapper.get('#member-username').element as HTMLInputElement).value).toBe('')
    wrapper.unmount()
  })

  it("keeps the old role and shows the API's reason when a change is refused", async () => {
    server.on('PUT /api/v1/tenants/demo/members/demo', () =>
      apiError(409, 'LAST_OWNER', 'demo is the last owner of demo; make someone else owner first.'),
    )
    const wrapper = await mountView()

    await wrapper.get('#role-demo').setValue('viewer')
    await flushPromises()

    expect(server.requests.at(-1)).toMatchObject({ method: 'PUT', body: { role: 'viewer' } })
    expect((wrapper.get('#role-demo').element as HTMLSelectElement).value).toBe('owner')
    expect(wrapper.get('[role="alert"]').text()).toContain('demo is the last owner of demo')
    wrapper.unmount()
  })

  it('applies an accepted role change', async () => {
    server.on('PUT /api/v1/tenants/demo/members/alice', () => json(200, { username: 'alice', role: 'admin', since: '2026-11-02T10:00:00Z' }))
    const wrapper = await mountView()

    await wrapper.get('#role-alice').setValue('admin')
    await flushPromises()

    expect((wrapper.get('#role-alice').element as HTMLSelectElement).value).toBe('admin')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('removes a member only after confirmation', async () => {
    server.on('DELETE /api/v1/tenants/demo/members/alice', () => new Response(null, { status: 204 }))
    const wrapper = await mountView()

    await wrapper.get('button[aria-label="Remove alice"]').trigger('click')
    await flushPromises()
    expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false)

    await wrapper.get('dialog .btn-danger').trigger('click')
    await flushPromises()
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/v1/tenants/demo/members/alice' })
    expect(wrapper.text()).not.toContain('alice')
    wrapper.unmount()
  })

  it('shows the list without editing controls to a viewer', async () => {
    server.on('GET /api/v1/me', () => json(200, { id: 'u1', username: 'demo', platformAdmin: false, tenants: [{ name: 'demo', role: 'viewer' }] }))
    await useTenantsStore().load()
    const wrapper = await mountView()

    expect(wrapper.find('form').exists()).toBe(false)
    expect(wrapper.find('select').exists()).toBe(false)
    expect(wrapper.find('button[aria-label="Remove alice"]').exists()).toBe(false)
    expect(wrapper.findAll('tbody tr')).toHaveLength(2)
    wrapper.unmount()
  })
})
