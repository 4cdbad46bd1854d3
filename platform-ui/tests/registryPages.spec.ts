import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import RepositoryView from '../src/views/RepositoryView.vue'
import RegistryView from '../src/views/RegistryView.vue'
import { useUiConfigStore } from '../src/stores/uiConfig'
import { FakeServer, apiError, json, signedInAs } from './fakeServer'
import { testRouter } from './testRouter'

const BASE = '/api/v1/tenants/demo'
const detail = {
  name: 'demo/team/api', tenant: 'demo', visibility: 'private', createdAt: '2026-11-23T10:00:00Z',
  tags: [{ name: '1', digest: `sha256:${'c'.repeat(64)}`, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 2_500_000, pushedAt: '2026-11-23T10:00:00Z', pushedBy: 'alice',
    layers: [{ digest: `sha256:${'d'.repeat(64)}`, size: 2_400_000, mediaType: 'application/vnd.oci.image.layer.v1.tar' }] }],
}
let server: FakeServer

async function setup(role: string) {
  server = await signedInAs(role)
  useUiConfigStore().set({ registryHost: 'registry.test:8080', appsDomain: 'apps.test' })
}

async function mountWith(component: object, props: Record<string, unknown>) {
  const router = testRouter()
  await router.push('/')
  const wrapper = mount(component, { props, global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('RepositoryView', () => {
  beforeEach(() => setup('admin'))

  it('shows tags with size, digest, pusher and layers; toggles visibility; deletes a tag after confirmation', async () => {
    server.on(`GET ${BASE}/repositories/team/api`, () => json(200, detail))
    server.on(`PUT ${BASE}/repositories/team/api/visibility`, (body) => json(200, { ...detail, ...(body as object) }))
    server.on(`DELETE ${BASE}/repositories/team/api/tags/1`, () => new Response(null, { status: 204 }))
    const wrapper = await mountWith(RepositoryView, { tenant: 'demo', repository: ['team', 'api'] })

    const row = wrapper.get('tr[data-tag="1"]')
    expect(row.text()).toContain('2.4 MiB')
    expect(row.text()).toContain('sha256:cccccccccccc')
    expect(row.text()).toContain('by alice')
    expect(row.text()).toContain('1 layers')
    expect(wrapper.text()).toContain('docker pull registry.test:8080/demo/team/api:1')

    await wrapper.get('.page-header-row .btn').trigger('click')
    await flushPromises()
    expect(server.requests.at(-1)).toMatchObject({ method: 'PUT', body: { visibility: 'public' } })
    expect(wrapper.get('[data-testid="visibility"]').text()).toBe('public')

    await wrapper.get('button[aria-label="Delete tag 1"]').trigger('click')
    await flushPromises()
    expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false)
    await wrapper.get('dialog .btn-danger').trigger('click')
    await flushPromises()
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `${BASE}/repositories/team/api/tags/1` })
    expect(wrapper.find('tr[data-tag="1"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('offers no visibility toggle to a developer and shows API errors', async () => {
    await setup('developer')
    server.on(`GET ${BASE}/repositories/team/api`, () => apiError(404, 'NAME_UNKNOWN', 'repository demo/team/api does not exist'))
    const wrapper = await mountWith(RepositoryView, { tenant: 'demo', repository: ['team', 'api'] })
    expect(wrapper.get('[role="alert"]').text()).toContain('repository demo/team/api does not exist')
    expect(wrapper.find('.page-header-row .btn').exists()).toBe(false)
    wrapper.unmount()
  })
})

describe('RegistryView', () => {
  beforeEach(() => setup('developer'))

  it('lists repositories and usage, with login and push commands for this host', async () => {
    server.on(`GET ${BASE}/repositories`, () => json(200, [{ name: 'demo/web', tenant: 'demo', visibility: 'public', tagCount: 3, createdAt: '2026-11-23T10:00:00Z' }]))
    server.on(`GET ${BASE}/registry/usage`, () => json(200, { tenant: 'demo', usedBytes: 5 * 1048576, quotaBytes: 10 * 1073741824 }))
    const wrapper = await mountWith(RegistryView, { tenant: 'demo' })
    expect(wrapper.get('tr[data-repository="web"]').text()).toContain('public')
    expect(wrapper.get('tr[data-repository="web"] a').attributes('href')).toBe('/t/demo/registry/web')
    expect(wrapper.get('[data-testid="registry-usage"]').text()).toContain('5.0 MiB of 10.0 GiB')
    expect(wrapper.text()).toContain('docker login registry.test:8080 -u demo --password-stdin')
    expect(wrapper.text()).toContain('docker push registry.test:8080/demo/my-image:1')
    wrapper.unmount()
  })
})
