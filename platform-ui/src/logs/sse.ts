/**
 * An incremental parser for `text/event-stream` (the HTML Living Standard's "event stream interpretation"),
 * for streams read with fetch(): EventSource cannot send an Authorization header.
 *
 * Lifecycle: create one parser per HTTP response, `push` each decoded text chunk as it arrives (chunks may
 * split a line, or a CR LF pair, anywhere), and call `end` once the body is done; an event whose blank line
 * never arrived is dropped, as the standard says. `lastEventId` survives across events (and is what a
 * reconnect sends as `Last-Event-ID`); the caller seeds a new parser with it after reconnecting.
 */
export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  event: string
  data: string
  /** The last event id seen so far on this stream, including this event's own `id:`. */
  id: string
}

export class SseParser {
  lastEventId: string
  /** The server's `retry:` advice in milliseconds, if it sent one. */
  retryMs: number | null = null

  private readonly onEvent: (event: SseEvent) => void
  private pending = ''
  /** The previous chunk ended in CR: a LF at the start of the next one belongs to that line break. */
  private skipLeadingLf = false
  private eventType = ''
  private dataLines: string[] = []
  private sawData = false

  constructor(onEvent: (event: SseEvent) => void, lastEventId = '') {
    this.onEvent = onEvent
    this.lastEventId = lastEventId
  }

  push(chunk: string): void {
    let text = chunk
    if (this.skipLeadingLf) {
      if (text.startsWith('\n')) text = text.slice(1)
      this.skipLeadingLf = false
    }
    let start = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c !== 10 && c !== 13) continue
      this.line(this.pending + text.slice(start, i))
      this.pending = ''
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++
        } else {
          this.skipLeadingLf = true
        }
      }
      start = i + 1
    }
    this.pending += text.slice(start)
  }

  /** The body ended: an unterminated event is discarded. */
  end(): void {
    this.pending = ''
    this.reset()
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch()
      return
    }
    if (line.startsWith(':')) return // a comment, e.g. a keep-alive
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    switch (field) {
      case 'event':
        this.eventType = value
        break
      case 'data':
        this.dataLines.push(value)
        this.sawData = true
        break
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value
        break
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value)
        break
      default:
        // Unknown fields are ignored.
    }
  }

  private dispatch(): void {
    if (this.sawData) {
      this.onEvent({ event: this.eventType || 'message', data: this.dataLines.join('\n'), id: this.lastEventId })
    }
    this.reset()
  }

  private reset(): void {
    this.eventType = ''
    this.dataLines = []
    this.sawData = false
  }
}

/**
 * Feeds a fetch() response body through a parser until it ends or `signal` aborts. Resolves when the server
 * closes the stream; rejects with the abort or network error otherwise.
 */
export async function readEventStream(body: ReadableStream<Uint8Array>, parser: SseParser, signal?: AbortSignal): Promise<void> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const abort = () => void reader.cancel().catch(() => undefined)
  signal?.addEventListener('abort', abort, { once: true })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parser.push(decoder.decode(value, { stream: true }))
    }
    parser.push(decoder.decode())
    parser.end()
  } finally {
    signal?.removeEventListener('abort', abort)
    reader.releaseLock()
  }
  if (signal?.aborted) throw signal.reason ?? new DOMException('aborted', 'AbortError')
}
