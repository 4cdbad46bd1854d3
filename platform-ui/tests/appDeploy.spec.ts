import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import AppDeploy from '../src/views/app/AppDeploy.vue'
import { useAppStore } from '../src/stores/app'
import { useUiConfigStore } from '../src/stores/uiConfig'
import { FakeServer, apiError, json, signedInAs } from './fakeServer'
import { testRouter } from './testRouter'

const BASE = '/api/v1/tenants/demo'
const app = { name: 'web', status: 'new', currentRelease: null, image: null, desiredReplicas: 0, restartGeneration: 0, instances: [], createdAt: '2026-11-23T10:00:00Z' }
const tag = (name: string) => ({ name, digest: `sha256:${'ab'.repeat(32)}`, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1_200_000, pushedAt: '2026-11-23T10:00:00Z', pushedBy: 'demo', layers: [] })

describe('AppDeploy', () => {
  let server: FakeServer

  beforeEach(async () => {
    server = await signedInAs('developer')
    server
      .on(`GET ${BASE}/apps/web`, () => json(200, app))
      .on(`GET ${BASE}/apps/web/releases`, () => json(200, []))
      .on(`GET ${BASE}/quota`, () => json(200, { limits: { maxInstances: 4, maxCpu: 2, maxMemoryMb: 2048 }, usage: { instances: 1, cpu: 0.25, memoryMb: 128 } }))
      .on(`GET ${BASE}/repositories`, () => json(200, [{ name: 'demo/web', tenant: 'demo', visibility: 'private', tagCount: 2, createdAt: '2026-11-23T10:00:00Z' }]))
      .on(`GET ${BASE}/repositories/web`, () => json(200, { name: 'demo/web', tenant: 'demo', visibility: 'private', createdAt: '', tags: [tag('2'), tag('1')] }))
    useUiConfigStore().set({ registryHost: 'registry.test:8080', appsDomain: 'apps.test' })
    await useAppStore().open('demo', 'web')
  })

  async function mountView() {
    const router = testRouter()
    await router.push('/t/demo/apps/web/deploy')
    const wrapper = mount(AppDeploy, { global: { plugins: [router] }, attachTo: document.body })
    await flushPromises()
    return { wrapper, router }
  }

  it('deploys a tag picked from the tenant registry with the limits given', async () => {
    server.on(`POST ${BASE}/apps/web/deployments`, () => json(202, { id: 'r1', release: 'v1', status: 'pending' }))
    const { wrapper, router } = await mountView()

    await wrapper.get('#deploy-repository').setValue('web')
    await flushPromises()
    await wrapper.get('#deploy-tag').setValue('1')
    await wrapper.get('#deploy-cpu').setValue('0.5')
    await wrapper.get('#deploy-memory').setValue('64')
    await wrapper.get('#deploy-replicas').setValue('2')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    const sent = server.requests.find((r) => r.method === 'POST')
    expect(sent?.body).toMatchObject({ image: 'registry.test:8080/demo/web:1', replicas: 2, resources: { cpu: 0.5, memoryMb: 64, pids: 256 }, port: 8080 })
    expect(router.currentRoute.value.name).toBe('app')
    wrapper.unmount()
  })

  it('refuses to send a deployment over the quota and says why', async () => {
    const { wrapper } = await mountView()
    await wrapper.get('input[value="reference"]').setValue(true)
    await wrapper.get('#deploy-image').setValue('registry.test:8080/demo/web:2')
    await wrapper.get('#deploy-replicas').setValue('4')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(server.requests.some((r) => r.method === 'POST')).toBe(false)
    expect(wrapper.text()).toContain('would bring the tenant to 5')
    wrapper.unmount()
  })

  it('marks invalid fields beside them', async () => {
    const { wrapper } = await mountView()
    await wrapper.get('input[value="reference"]').setValue(true)
    await wrapper.get('#deploy-image').setValue('Not An Image')
    await wrapper.get('#deploy-memory').setValue('4')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(wrapper.get('#deploy-image').attributes('aria-invalid')).toBe('true')
    expect(wrapper.get('#deploy-memory').attributes('aria-invalid')).toBe('true')
    expect(wrapper.text()).toContain('Memory (MiB) must be between 16 and 65536')
    expect(server.requests.some((r) => r.method === 'POST')).toBe(false)
    wrapper.unmount()
  })

  it("shows the API's refusal with its message", async () => {
    server.on(`POST ${BASE}/apps/web/deployments`, () => apiError(403, 'QUOTA_EXCEEDED', 'quota maxInstances exceeded: the limit is 3'))
    const { wrapper } = await mountView()
    await wrapper.get('input[value="reference"]').setValue(true)
    await wrapper.get('#deploy-image').setValue('registry.test:8080/demo/web:2')
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(wrapper.get('[role="alert"]').text()).toContain('quota maxInstances exceeded: the limit is 3')
    expect(wrapper.get('[role="alert"]').text()).toContain('QUOTA_EXCEEDED')
    wrapper.unmount()
  })
})
