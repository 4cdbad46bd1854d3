import { describe, expect, it } from 'vitest'
import { LogFollower, logsPath, fetchLogLines, type FollowState } from '../src/logs/logFollower'
import type { LogLine } from '../src/api/types'
import { FakeServer, apiError } from './fakeServer'

function line(n: number): LogLine {
  return { cursor: `c${n}`, instanceId: 'i-1', stream: 'stdout', time: `2026-11-23T10:00:0${n % 10}Z`, line: `line ${n}` }
}

function sse(events: string[], keepOpen = false): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const e of events) controller.enqueue(new TextEncoder().encode(e))
      if (!keepOpen) controller.close()
    },
  })
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })
}

function logEvent(l: LogLine): string {
  return `id: ${l.cursor}\nevent: log\ndata: ${JSON.stringify(l)}\n\n`
}

const FOLLOW = '/api/v1/tenants/demo/apps/web/logs?tail=100&follow=true'
const RESUME = '/api/v1/tenants/demo/apps/web/logs?follow=true'

describe('LogFollower', () => {
  it('asks for the tail first, then resumes after a broken stream with Last-Event-ID, missing and repeating nothing', async () => {
    const server = new FakeServer()
    let resumed = 0
    server.on(`GET ${FOLLOW}`, () => sse([logEvent(line(1)), logEvent(line(2))]))
    server.on(`GET ${RESUME}`, () => {
      resumed++
      return resumed === 1 ? sse([logEvent(line(3))]) : sse([': idle\n\n'], true)
    })
    const received: string[] = []
    const states: FollowState[] = []
    const follower = new LogFollower(server.client(), 'demo', 'web', { tail: 100 }, {
      onLines: (lines) => received.push(...lines.map((l) => l.line)),
      onState: (s) => states.push(s),
    }, { backoffMs: () => 0 })
    const done = follower.start()
    await expect.poll(() => resumed).toBe(2)
    follower.stop()
    await done

    expect(received).toEqual(['line 1', 'line 2', 'line 3'])
    const resumes = server.requests.filter((r) => r.path === RESUME)
    expect(resumes[0].headers['Last-Event-ID']).toBe('c2')
    expect(resumes[1].headers['Last-Event-ID']).toBe('c3')
    expect(server.requests[0].headers.Authorization).toBe('Bearer access-token')
    expect(server.requests[0].headers.Accept).toBe('text/event-stream')
    expect(states[0]).toBe('connecting')
    expect(states).toContain('live')
    expect(states).toContain('reconnecting')
    expect(states.at(-1)).toBe('stopped')
  })

  it('reconnects after a server error, and stops with the API message on a 404', async () => {
    const server = new FakeServer()
    let calls = 0
    server.on(`GET ${FOLLOW}`, () => (++calls === 1
      ? apiError(503, 'UNAVAILABLE', 'try later')
      : apiError(404, 'APP_NOT_FOUND', 'app web does not exist in tenant demo')))
    const states: [FollowState, string | undefined][] = []
    const follower = new LogFollower(server.client(), 'demo', 'web', { tail: 100 }, {
      onLines: () => undefined,
      onState: (s, e) => states.push([s, e?.message]),
    }, { backoffMs: () => 0 })
    await follower.start()
    expect(calls).toBe(2)
    expect(states.at(-1)).toEqual(['stopped', 'app web does not exist in tenant demo'])
    expect(follower.stopped).toBe(true)
  })

  it('reports lines the server dropped and resumes after them', async () => {
    const server = new FakeServer()
    server.on(`GET ${FOLLOW}`, () => sse([logEvent(line(1)), 'event: dropped\ndata: {"count":250,"cursor":"c251"}\n\n']))
    server.on(`GET ${RESUME}`, () => sse([], true))
    let dropped = 0
    const follower = new LogFollower(server.client(), 'demo', 'web', { tail: 100 }, {
      onLines: () => undefined,
      onDropped: (n) => (dropped += n),
    }, { backoffMs: () => 0 })
    const done = follower.start()
    await expect.poll(() => server.requests.length).toBe(2)
    follower.stop()
    await done
    expect(dropped).toBe(250)
    expect(server.requests[1].headers['Last-Event-ID']).toBe('c251')
  })

  it('builds the query from the filters', () => {
    expect(logsPath('demo', 'web', { tail: 50, instance: 'abc', stream: 'stderr', q: 'GET /', follow: true }))
      .toBe('/api/v1/tenants/demo/apps/web/logs?tail=50&instance=abc&stream=stderr&q=GET+%2F&follow=true')
  })

  it('reads ndjson pages for downloads', async () => {
    const server = new FakeServer()
    server.on('GET /api/v1/tenants/demo/apps/web/logs?tail=10', () =>
      new Response(`${JSON.stringify(line(1))}\n${JSON.stringify(line(2))}\n`, { headers: { 'Content-Type': 'application/x-ndjson' } }))
    const lines = await fetchLogLines(server.client(), 'demo', 'web', { tail: 10 })
    expect(lines.map((l) => l.line)).toEqual(['line 1', 'line 2'])
    expect(server.requests[0].headers.Accept).toBe('application/x-ndjson')
  })
})
