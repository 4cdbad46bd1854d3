import { ApiError, type ApiClient } from '../api/client'
import type { LogLine } from '../api/types'
import { SseParser, readEventStream } from './sse'

/** What the logs view shows about the connection. */
export type FollowState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'stopped'

export interface LogQuery {
  tail?: number
  instance?: string
  stream?: string
  q?: string
}

export interface FollowerCallbacks {
  onLines: (lines: LogLine[]) => void
  /** The server skipped `count` lines for this viewer (it fell behind); the stream goes on after them. */
  onDropped?: (count: number) => void
  onState?: (state: FollowState, error?: ApiError) => void
}

export interface FollowerOptions {
  /** Waits before reconnect attempt n (0-based); tests pass zeros. */
  backoffMs?: (attempt: number) => number
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

const defaultBackoff = (attempt: number) => Math.min(500 * 2 ** attempt, 10_000)

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    }, { once: true })
  })
}

export function logsPath(tenant: string, app: string, query: LogQuery & { follow?: boolean; cursor?: string }): string {
  const params = new URLSearchParams()
  if (query.tail !== undefined) params.set('tail', String(query.tail))
  if (query.instance) params.set('instance', query.instance)
  if (query.stream) params.set('stream', query.stream)
  if (query.q) params.set('q', query.q)
  if (query.follow) params.set('follow', 'true')
  if (query.cursor) params.set('cursor', query.cursor)
  const qs = params.toString()
  return `/api/v1/tenants/${encodeURIComponent(tenant)}/apps/${encodeURIComponent(app)}/logs${qs ? `?${qs}` : ''}`
}

/**
 * Follows an app's logs over SSE (`follow=true`) and keeps following across broken connections.
 *
 * Lifecycle: `start()` connects (state `connecting`, then `live` once the server answers); when the stream
 * breaks for a reason worth retrying (network, 5xx, the server closing it) the follower waits, goes to
 * `reconnecting` and resumes with `Last-Event-ID` = the cursor of the last line it delivered, so no line is
 * missed or repeated; the first connection asks for the `tail`, a resumed one does not. A 4xx other than 408/429
 * (a tenant or app that does not exist, a filter the API refuses) ends in `stopped` with the API's error.
 * `stop()` (pause, leaving the page, a filter change) aborts at once; a stopped follower is not restarted:
 * make a new one with `cursor` set to resume where the old one ended.
 */
export class LogFollower {
  private readonly controller = new AbortController()
  private cursor: string
  private started = false

  constructor(
    private readonly api: ApiClient,
    private readonly tenant: string,
    private readonly app: string,
    private readonly query: LogQuery,
    private readonly callbacks: FollowerCallbacks,
    private readonly options: FollowerOptions = {},
    cursor = '',
  ) {
    this.cursor = cursor
  }

  /** The cursor of the last line delivered: where a new follower resumes. */
  get lastCursor(): string {
    return this.cursor
  }

  start(): Promise<void> {
    if (this.started) throw new Error('A LogFollower runs once; create a new one to follow again.')
    this.started = true
    return this.run()
  }

  stop(): void {
    this.controller.abort()
  }

  get stopped(): boolean {
    return this.controller.signal.aborted
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal
    const backoff = this.options.backoffMs ?? defaultBackoff
    const sleep = this.options.sleep ?? defaultSleep
    let attempt = 0
    while (!signal.aborted) {
      this.state(attempt === 0 && !this.cursor ? 'connecting' : 'reconnecting')
      try {
        await this.once(signal, () => {
          attempt = 0
          this.state('live')
        })
        // The server ended the stream (a restart, a proxy timeout): resume.
      } catch (error) {
        if (signal.aborted) break
        if (error instanceof ApiError && !retryable(error)) {
          this.state('stopped', error)
          this.controller.abort()
          return
        }
      }
      if (signal.aborted) break
      this.state('reconnecting')
      await sleep(backoff(attempt++), signal)
    }
    this.state('stopped')
  }

  private async once(signal: AbortSignal, onOpen: () => void): Promise<void> {
    const resuming = this.cursor !== ''
    const path = logsPath(this.tenant, this.app, {
      ...this.query,
      tail: resuming ? undefined : this.query.tail,
      follow: true,
    })
    const headers: Record<string, string> = resuming ? { 'Last-Event-ID': this.cursor } : {}
    const response = await this.api.stream(path, 'text/event-stream', headers, signal)
    if (!response.body) throw new ApiError(0, 'NO_STREAM', 'The browser cannot read streamed responses.')
    onOpen()
    const parser = new SseParser((event) => this.event(event.event, event.data, event.id), this.cursor)
    await readEventStream(response.body, parser, signal)
  }

  private event(type: string, data: string, id: string): void {
    if (this.controller.signal.aborted) return
    if (type === 'log') {
      let line: LogLine
      try {
        line = JSON.parse(data) as LogLine
      } catch {
        return // a line we cannot read is not worth breaking the stream for
      }
      this.cursor = line.cursor || id || this.cursor
      this.callbacks.onLines([line])
    } else if (type === 'dropped') {
      try {
        const dropped = JSON.parse(data) as { count?: number; cursor?: string }
        if (dropped.cursor) this.cursor = dropped.cursor
        this.callbacks.onDropped?.(dropped.count ?? 0)
      } catch {
        // ignore a malformed notice
      }
    }
  }

  private state(state: FollowState, error?: ApiError): void {
    this.callbacks.onState?.(state, error)
  }
}

function retryable(error: ApiError): boolean {
  return error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429
}

/** One page of logs as ndjson (no follow): for downloads. */
export async function fetchLogLines(api: ApiClient, tenant: string, app: string, query: LogQuery): Promise<LogLine[]> {
  const response = await api.stream(logsPath(tenant, app, query), 'application/x-ndjson')
  const text = await response.text()
  const lines: LogLine[] = []
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue
    try {
      lines.push(JSON.parse(raw) as LogLine)
    } catch {
      throw new ApiError(response.status, 'INVALID_RESPONSE', 'The API sent a log line that is not JSON.')
    }
  }
  return lines
}
