import { describe, expect, it } from 'vitest'
import { SseParser, readEventStream, type SseEvent } from '../src/logs/sse'

function parse(chunks: string[], lastEventId = '') {
  const events: SseEvent[] = []
  const parser = new SseParser((e) => events.push(e), lastEventId)
  for (const c of chunks) parser.push(c)
  return { events, parser }
}

describe('SseParser', () => {
  it('dispatches an event per blank line with its type, data and id', () => {
    const { events, parser } = parse(['id: 7\nevent: log\ndata: {"line":"a"}\n\nid: 8\nevent: log\ndata: {"line":"b"}\n\n'])
    expect(events).toEqual([
      { event: 'log', data: '{"line":"a"}', id: '7' },
      { event: 'log', data: '{"line":"b"}', id: '8' },
    ])
    expect(parser.lastEventId).toBe('8')
  })

  it('reassembles lines split anywhere across chunks, including a CR LF pair', () => {
    const text = 'id: 1\r\nevent: log\r\ndata: hello\r\n\r\nid: 2\r\ndata: world\r\n\r\n'
    for (let cut = 1; cut < text.length; cut++) {
      const { events } = parse([text.slice(0, cut), text.slice(cut)])
      expect(events, `cut at ${cut}`).toEqual([
        { event: 'log', data: 'hello', id: '1' },
        { event: 'message', data: 'world', id: '2' },
      ])
    }
    const { events } = parse([...text])
    expect(events).toHaveLength(2)
  })

  it('accepts bare CR and LF line ends, joins data lines with LF, strips only one leading space', () => {
    const { events } = parse(['data:  two spaces\rdata:x\r\rdata\n\n'])
    expect(events).toEqual([
      { event: 'message', data: ' two spaces\nx', id: '' },
      { event: 'message', data: '', id: '' },
    ])
  })

  it('ignores comments and unknown fields, reads retry, keeps the id across events', () => {
    const { events, parser } = parse([': keep-alive\nretry: 2500\nfoo: bar\nid: 5\n\ndata: after\n\n'])
    // An event without data is not dispatched, but its id still counts.
    expect(events).toEqual([{ event: 'message', data: 'after', id: '5' }])
    expect(parser.retryMs).toBe(2500)
  })

  it('starts from the id it was given and ignores an id with NUL', () => {
    const { events } = parse(['id: a\0b\ndata: x\n\n'], 'c-42')
    expect(events[0].id).toBe('c-42')
  })

  it('drops an event whose blank line never came', () => {
    const events: SseEvent[] = []
    const parser = new SseParser((e) => events.push(e))
    parser.push('data: complete\n\ndata: cut off')
    parser.end()
    expect(events.map((e) => e.data)).toEqual(['complete'])
  })

  it('reads a streamed body, decoding UTF-8 split across chunks', async () => {
    const bytes = new TextEncoder().encode('event: log\ndata: grüße ✓\n\n')
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]))
        controller.close()
      },
    })
    const events: SseEvent[] = []
    await readEventStream(body, new SseParser((e) => events.push(e)))
    expect(events).toEqual([{ event: 'log', data: 'grüße ✓', id: '' }])
  })

  it('stops reading when aborted', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: one\n\n'))
      },
    })
    const controller = new AbortController()
    const events: SseEvent[] = []
    const reading = readEventStream(body, new SseParser((e) => {
      events.push(e)
      controller.abort()
    }), controller.signal)
    await expect(reading).rejects.toBeDefined()
    expect(events).toHaveLength(1)
  })
})
