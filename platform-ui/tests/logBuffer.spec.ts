import { describe, expect, it } from 'vitest'
import { FrameBatcher, LogBuffer, linesAsText } from '../src/logs/logBuffer'
import type { LogLine } from '../src/api/types'

function lines(from: number, to: number): LogLine[] {
  const out: LogLine[] = []
  for (let n = from; n < to; n++) {
    out.push({ cursor: `c${n}`, instanceId: n % 2 ? 'odd' : 'even', stream: n % 3 ? 'stdout' : 'stderr', time: '2026-11-23T10:00:00Z', line: `GET /item/${n} ${n % 5 === 0 ? 'ERROR' : 'ok'}` })
  }
  return out
}

describe('LogBuffer', () => {
  it('keeps at most capacity (+10% slack) of the newest lines, in order', () => {
    const buffer = new LogBuffer(1000)
    for (let n = 0; n < 5000; n += 100) buffer.append(lines(n, n + 100))
    expect(buffer.total).toBeGreaterThanOrEqual(1000)
    expect(buffer.total).toBeLessThanOrEqual(1100)
    expect(buffer.at(buffer.length - 1)?.line).toBe('GET /item/4999 ok')
    const cursors = buffer.lines().map((l) => Number(l.cursor.slice(1)))
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b))
    expect(buffer.evicted + buffer.total).toBe(5000)
  })

  it('searches case-insensitively and keeps the search applied to new and evicted lines', () => {
    const buffer = new LogBuffer(100)
    buffer.append(lines(0, 50))
    buffer.search('error')
    expect(buffer.length).toBe(10)
    buffer.append(lines(50, 60))
    expect(buffer.length).toBe(12)
    expect(buffer.total).toBe(60)
    buffer.append(lines(60, 200)) // evicts the oldest lines, matching ones included
    expect(buffer.lines().every((l) => l.line.includes('ERROR'))).toBe(true)
    expect(buffer.lines()[0].seq).toBeGreaterThanOrEqual(buffer.evicted)
    buffer.search('')
    expect(buffer.length).toBe(buffer.total)
  })

  it('changes version on every mutation so the view re-renders', () => {
    const buffer = new LogBuffer(100)
    const v0 = buffer.version
    buffer.append(lines(0, 1))
    const v1 = buffer.version
    buffer.search('x')
    buffer.clear()
    expect(new Set([v0, v1, buffer.version]).size).toBe(3)
    expect(buffer.length).toBe(0)
  })

  it('tests each arriving line against the search once, however long it runs (work per frame stays small)', () => {
    const buffer = new LogBuffer(20_000)
    let tested = 0
    buffer.setFilter((line) => {
      tested++
      return line.lower.includes('error')
    })
    // A minute at 1,000 lines/s arriving in ~17-line frames.
    for (let n = 0; n < 60_000; n += 17) buffer.append(lines(n, n + 17))
    expect(tested).toBe(60_010) // every line once (the last frame overshoots to 60,010), never the whole buffer again
    expect(buffer.total).toBeLessThanOrEqual(22_000)
    expect(buffer.lines().every((l) => l.line.includes('ERROR'))).toBe(true)
  })
})

describe('FrameBatcher', () => {
  it('hands over everything pushed within a frame in one call', () => {
    const frames: (() => void)[] = []
    const flushed: number[][] = []
    const batcher = new FrameBatcher<number>((items) => flushed.push(items), (cb) => frames.push(cb))
    batcher.push([1, 2])
    batcher.push([3])
    expect(frames).toHaveLength(1)
    expect(flushed).toHaveLength(0)
    frames[0]()
    expect(flushed).toEqual([[1, 2, 3]])
    batcher.push([4])
    batcher.discard()
    frames[1]()
    expect(flushed).toEqual([[1, 2, 3]])
  })
})

describe('linesAsText', () => {
  it('writes one line per log line, with optional timestamps and a stderr marker', () => {
    expect(linesAsText(lines(0, 2), true)).toBe('2026-11-23T10:00:00Z [stderr] GET /item/0 ERROR\n2026-11-23T10:00:00Z GET /item/1 ok\n')
    expect(linesAsText([], false)).toBe('')
  })
})
