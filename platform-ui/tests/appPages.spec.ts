import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import AppOverview from '../src/views/app/AppOverview.vue'
import AppSettings from '../src/views/app/AppSettings.vue'
import AppConfig from '../src/views/app/AppConfig.vue'
import AppsView from '../src/views/AppsView.vue'
import { useAppStore } from '../src/stores/app'
import { FakeServer, apiError, json, signedInAs } from './fakeServer'
import { testRouter } from './testRouter'

const BASE = '/api/v1/tenants/demo'
const release = (n: number, patch: object = {}) => ({
  id: `r${n}`, release: `v${n}`, image: `localhost:8080/demo/web:${n}`, imageDigest: null, command: null, env: {}, port: 8080, replicas: 1,
  resources: { cpu: 0.25, memoryMb: 128, pids: 256 }, healthCheck: null, rollbackOf: null, status: 'running', statusReason: null,
  createdBy: 'demo', createdAt: '2026-11-23T10:00:00Z', ...patch,
})
const instance = (id: string, rel: string, state: string, patch: object = {}) => ({
  id, release: rel, worker: 'w-123456789', state, reason: null, healthy: state === 'running', restarts: 0, lastExitCode: null, oomKilled: false, startedAt: '2026-11-23T10:00:00Z', ...patch,
})
function app(patch: object = {}) {
  return { name: 'web', status: 'running', currentRelease: 'v1', image: 'localhost:8080/demo/web:1', desiredReplicas: 1, restartGeneration: 0, instances: [instance('i-aaaaaaaa1', 'v1', 'running')], createdAt: '2026-11-23T10:00:00Z', ...patch }
}

let server: FakeServer

async function setup(role = 'owner') {
  server = await signedInAs(role)
}

async function mountWith(component: object, path: string, props: Record<string, unknown> = {}) {
  const router = testRouter()
  await router.push(path)
  const wrapper = mount(component, { props, global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

describe('AppOverview', () => {
  beforeEach(() => setup())

  it('shows a rollout in progress with each instance state, then the failure and the automatic rollback', async () => {
    server.on(`GET ${BASE}/apps/web`, () => json(200, app({ status: 'pending', instances: [instance('i-aaaaaaaa1', 'v1', 'running'), instance('i-bbbbbbbb2', 'v2', 'pulling')] })))
    server.on(`GET ${BASE}/apps/web/releases`, () => json(200, [release(2, { status: 'pending' }), release(1)]))
    const store = useAppStore()
    await store.open('demo', 'web')
    const { wrapper } = await mountWith(AppOverview, '/t/demo/apps/web')

    expect(wrapper.get('.rollout').attributes('data-phase')).toBe('rolling-out')
    expect(wrapper.get('.rollout').text()).toContain('Deployment v2: Rolling out')
    expect(wrapper.get('.rollout [data-instance="i-bbbbbbbb2"] [data-state]').attributes('data-state')).toBe('pulling')

    server.on(`GET ${BASE}/apps/web`, () => json(200, app({ instances: [instance('i-aaaaaaaa1', 'v1', 'running'), instance('i-bbbbbbbb2', 'v2', 'failed', { lastExitCode: 137, oomKilled: true })] })))
    server.on(`GET ${BASE}/apps/web/releases`, () => json(200, [release(2, { status: 'failed', statusReason: 'health check failed 3 times' }), release(1)]))
    await store.refresh()
    await flushPromises()

    expect(wrapper.get('.rollout').attributes('data-phase')).toBe('rolled-back')
    expect(wrapper.get('.rollout [role="alert"]').text()).toContain('v2 failed: health check failed 3 times')
    expect(wrapper.get('.rollout [role="alert"]').text()).toContain('rolled back to v1 automatically')
    const row = wrapper.get('tr[data-instance="i-bbbbbbbb2"]')
    expect(row.text()).toContain('137')
    expect(row.text()).toContain('OOM killed')
    wrapper.unmount()
  })

  it('rolls back after confirmation and scales', async () => {
    server.on(`GET ${BASE}/apps/web`, () => json(200, app({ currentRelease: 'v2' })))
    server.on(`GET ${BASE}/apps/web/releases`, () => json(200, [release(2), release(1, { status: 'superseded' })]))
    server.on(`POST ${BASE}/apps/web/rollback`, () => json(202, { id: 'r3', release: 'v3', status: 'pending' }))
    server.on(`POST ${BASE}/apps/web/scale`, () => apiError(403, 'QUOTA_EXCEEDED', 'quota maxInstances exceeded: the limit is 3'))
    await useAppStore().open('demo', 'web')
    const { wrapper } = await mountWith(AppOverview, '/t/demo/apps/web')

    expect(wrapper.find('button[aria-label="Roll back to v2"]').exists()).toBe(false)
    await wrapper.get('button[aria-label="Roll back to v1"]').trigger('click')
    await flushPromises()
    expect(server.requests.some((r) => r.path.endsWith('/rollback'))).toBe(false)
    await wrapper.get('dialog .btn-danger').trigger('click')
    await flushPromises()
    expect(server.requests.find((r) => r.path.endsWith('/rollback'))?.body).toEqual({ release: 'v1' })

    await wrapper.get('#scale-replicas').setValue('5')
    await wrapper.get('form[aria-labelledby="scale-title"]').trigger('submit')
    await flushPromises()
    expect(server.requests.find((r) => r.path.endsWith('/scale'))?.body).toEqual({ replicas: 5 })
    expect(wrapper.get('form[aria-labelledby="scale-title"] [role="alert"]').text()).toContain('the limit is 3')
    wrapper.unmount()
  })

  it('hides write actions from a viewer', async () => {
    await setup('viewer')
    server.on(`GET ${BASE}/apps/web`, () => json(200, app({ currentRelease: 'v2' })))
    server.on(`GET ${BASE}/apps/web/releases`, () => json(200, [release(2), release(1)]))
    await useAppStore().open('demo', 'web')
    const { wrapper } = await mountWith(AppOverview, '/t/demo/apps/web')
    expect(wrapper.find('#scale-replicas').exists()).toBe(false)
    expect(wrapper.find('button[aria-label="Roll back to v1"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

describe('AppSettings', () => {
  beforeEach(() => setup())

  it('deletes only once the app name is typed', async () => {
    server.on(`GET ${BASE}/apps/web`, () => json(200, app()))
    server.on(`GET ${BASE}/apps/web/releases`, () => json(200, [release(1)]))
    server.on(`DELETE ${BASE}/apps/web`, () => new Response(null, { status: 204 }))
    await useAppStore().open('demo', 'web')
    const { wrapper, router } = await mountWith(AppSettings, '/t/demo/apps/web/settings')

    await wrapper.get('.danger-zone > .btn-danger').trigger('click')
    await flushPromises()
    const confirm = wrapper.get('dialog .btn-danger')
    expect(confirm.attributes('disabled')).toBeDefined()
    await wrapper.get('#delete-confirm').setValue('we')
    expect(wrapper.get('dialog .btn-danger').attributes('disabled')).toBeDefined()
    await wrapper.get('#delete-confirm').setValue('web')
    await wrapper.get('dialog .btn-danger').trigger('click')
    await flushPromises()
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `${BASE}/apps/web` })
    expect(router.currentRoute.value.name).toBe('apps')
    wrapper.unmount()
  })
})

describe('AppConfig', () => {
  beforeEach(() => setup())

  it('masks secrets, asks to re-enter them, and saves the whole config', async () => {
    server.on(`GET ${BASE}/apps/web`, () => json(200, app()))
    server.on(`GET ${BASE}/apps/web/releases`, () => json(200, [release(1)]))
    server.on(`GET ${BASE}/apps/web/config`, () => json(200, { env: { DB_PASSWORD: '********', LOG_LEVEL: 'info' }, secrets: ['DB_PASSWORD'] }))
    server.on(`PUT ${BASE}/apps/web/config`, (body) => json(200, { env: { DB_PASSWORD: '********', LOG_LEVEL: 'debug' }, secrets: (body as { secrets: string[] }).secrets }))
    await useAppStore().open('demo', 'web')
    const { wrapper } = await mountWith(AppConfig, '/t/demo/apps/web/config')

    const inputs = wrapper.findAll('.env-row input.input')
    expect(inputs[1].attributes('type')).toBe('password')
    expect(inputs[3].attributes('type')).toBe('text')
    expect(wrapper.text()).toContain('Re-enter the value of DB_PASSWORD')
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined()

    await inputs[1].setValue('hunter2')
    await inputs[3].setValue('debug')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(server.requests.at(-1)?.body).toEqual({ env: { DB_PASSWORD: 'hunter2', LOG_LEVEL: 'debug' }, secrets: ['DB_PASSWORD'] })
    expect(wrapper.get('.ok-text').text()).toContain('Saved')
    wrapper.unmount()
  })
})

describe('AppsView', () => {
  beforeEach(() => setup('developer'))

  it('lists apps with their status and creates one', async () => {
    server.on(`GET ${BASE}/apps`, () => json(200, [app({ instances: [instance('i1', 'v1', 'running')], desiredReplicas: 2 })]))
    server.on(`POST ${BASE}/apps`, (body) => json(201, app({ ...(body as object), status: 'new' })))
    const { wrapper, router } = await mountWith(AppsView, '/t/demo/apps', { tenant: 'demo' })

    const row = wrapper.get('tr[data-app="web"]')
    expect(row.get('[data-state]').attributes('data-state')).toBe('running')
    expect(row.text()).toContain('1 / 2 running')

    await wrapper.get('#app-name').setValue('-bad')
    expect(wrapper.get('.field-error').text()).toContain('lowercase')
    await wrapper.get('#app-name').setValue('api')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({ name: 'api' })
    expect(router.currentRoute.value.name).toBe('app')
    wrapper.unmount()
  })
})
