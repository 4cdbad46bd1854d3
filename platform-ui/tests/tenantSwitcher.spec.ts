import { beforeEach, describe, expect, it } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { defineComponent } from 'vue'
import TenantSwitcher from '../src/components/TenantSwitcher.vue'
import { useTenantsStore } from '../src/stores/tenants'
import { FakeServer, json } from './fakeServer'

const Page = defineComponent({ template: '<div />' })

function testRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/t/:tenant/members', name: 'members', component: Page },
      { path: '/t/:tenant/audit', name: 'audit', component: Page },
      { path: '/tokens', name: 'tokens', component: Page },
      { path: '/tenants/new', name: 'tenant-new', component: Page },
    ],
  })
}

describe('TenantSwitcher', () => {
  let pinia: Pinia
  let router: Router

  beforeEach(async () => {
    localStorage.clear()
    pinia = createPinia()
    setActivePinia(pinia)
    new FakeServer().install().on('GET /api/v1/me', () =>
      json(200, {
        id: 'u1',
        username: 'demo',
        tenants: [
          { name: 'demo', role: 'owner' },
          { name: 'acme', role: 'viewer' },
        ],
      }),
    )
    await useTenantsStore().load()
    router = testRouter()
  })

  async function mountAt(path: string) {
    await router.push(path)
    const wrapper = mount(TenantSwitcher, { global: { plugins: [pinia, router] } })
    await flushPromises()
    return wrapper
  }

  it('lists every tenant of the user with their role, labelled for screen readers', async () => {
    const wrapper = await mountAt('/t/demo/members')
    const select = wrapper.get('select')

    expect(wrapper.get('label').attributes('for')).toBe(select.attributes('id'))
    const options = select.findAll('option').map((o) => o.text())
    expect(options).toEqual(['demo (owner)', 'acme (viewer)', '+ Create tenant…'])
    expect((select.element as HTMLSelectElement).value).toBe('demo')
  })

  it('switches to the same page of the chosen tenant and remembers the choice', async () => {
    const wrapper = await mountAt('/t/demo/audit')
    await wrapper.get('select').setValue('acme')
    await flushPromises()

    expect(router.currentRoute.value.fullPath).toBe('/t/acme/audit')
    expect(useTenantsStore().current).toBe('acme')
    expect(localStorage.getItem('slipway.tenant')).toBe('acme')
  })

  it("opens the tenant's members from a page that belongs to no tenant", async () => {
    const wrapper = await mountAt('/tokens')
    await wrapper.get('select').setValue('acme')
    await flushPromises()

    expect(router.currentRoute.value.fullPath).toBe('/t/acme/members')
  })

  it('leads to tenant creation without changing the current tenant', async () => {
    const wrapper = await mountAt('/t/demo/members')
    await wrapper.get('select').setValue('__create__')
    await flushPromises()

    expect(router.currentRoute.value.name).toBe('tenant-new')
    expect(useTenantsStore().current).toBe('demo')
    expect((wrapper.get('select').element as HTMLSelectElement).value).toBe('demo')
  })
})
