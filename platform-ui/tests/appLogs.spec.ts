import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import AppLogs from '../src/views/app/AppLogs.vue'
import { useAppStore } from '../src/stores/app'
import { FakeServer, json, signedInAs } from './fakeServer'

const BASE = '/api/v1/tenants/demo/apps/web'

/** An SSE response the test writes into while the page reads it. */
function liveStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) })
  let n = 0
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send(line: string, stream = 'stdout') {
      n++
      const data = { cursor: `c${n}`, instanceId: 'inst-1234567', stream, time: `2026-11-23T10:00:00.${String(n).padStart(3, '0')}Z`, line }
      controller.enqueue(new TextEncoder().encode(`id: ${data.cursor}\nevent: log\ndata: ${JSON.stringify(data)}\n\n`))
    },
  }
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)))

describe('AppLogs', () => {
  let server: FakeServer

  beforeEach(async () => {
    server = await signedInAs('viewer')
    server
      .on(`GET ${BASE}`, () => json(200, { name: 'web', status: 'running', currentRelease: 'v1', image: 'x', desiredReplicas: 1, restartGeneration: 0, createdAt: '',
        instances: [{ id: 'inst-1234567', release: 'v1', worker: 'w', state: 'running', restarts: 0, oomKilled: false }] }))
      .on(`GET ${BASE}/releases`, () => json(200, []))
    await useAppStore().open('demo', 'web')
  })

  it('shows lines as they arrive, searches them, pauses and resumes from the cursor', async () => {
    const first = liveStream()
    const resumed = liveStream()
    server.on(`GET ${BASE}/logs?tail=500&follow=true`, () => first.response)
    server.on(`GET ${BASE}/logs?follow=true`, () => resumed.response)
    const wrapper = mount(AppLogs, { attachTo: document.body })
    await flushPromises()
    expect(wrapper.get('[data-testid="logs-state"]').text()).toBe('Live')

    first.send('hello from the app')
    first.send('GET / 200')
    first.send('oops', 'stderr')
    await flushPromises()
    await nextFrame()
    await flushPromises()
    expect(wrapper.findAll('.log-text').map((l) => l.text())).toEqual(['hello from the app', 'GET / 200', 'oops'])
    expect(wrapper.find('.log-stderr').text()).toContain('oops')

    await wrapper.get('#logs-search').setValue('get')
    expect(wrapper.findAll('.log-text').map((l) => l.text())).toEqual(['GET / 200'])
    expect(wrapper.get('[data-testid="logs-count"]').text()).toBe('1 of 3 lines')
    await wrapper.get('#logs-search').setValue('')

    await wrapper.get('input[type="checkbox"]').setValue(true)
    expect(wrapper.find('.log-time').text()).toBe('2026-11-23 10:00:00.001')

    await wrapper.get('.logs-toolbar button').trigger('click') // pause
    await flushPromises()
    expect(wrapper.get('[data-testid="logs-state"]').text()).toBe('Paused')
    await wrapper.get('.logs-toolbar button').trigger('click') // follow again
    await flushPromises()
    const resume = server.requests.find((r) => r.path === `${BASE}/logs?follow=true`)
    expect(resume?.headers['Last-Event-ID']).toBe('c3')
    resumed.send('after the pause')
    await flushPromises()
    await nextFrame()
    await flushPromises()
    expect(wrapper.findAll('.log-text').map((l) => l.text()).at(-1)).toBe('after the pause')
    wrapper.unmount()
  })

  it('starts over with the server-side filter when the stream filter changes', async () => {
    server.on(`GET ${BASE}/logs?tail=500&follow=true`, () => liveStream().response)
    const filtered = liveStream()
    server.on(`GET ${BASE}/logs?tail=500&stream=stderr&follow=true`, () => filtered.response)
    const wrapper = mount(AppLogs, { attachTo: document.body })
    await flushPromises()
    await wrapper.get('#logs-stream').setValue('stderr')
    await flushPromises()
    filtered.send('only errors', 'stderr')
    await flushPromises()
    await nextFrame()
    await flushPromises()
    expect(wrapper.findAll('.log-text').map((l) => l.text())).toEqual(['only errors'])
    wrapper.unmount()
  })
})
