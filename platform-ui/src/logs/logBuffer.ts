import type { LogLine } from '../api/types'

/** A line as the view keeps it: `seq` orders lines in the buffer, `lower` makes text search cheap. */
export interface BufferedLine extends LogLine {
  seq: number
  lower: string
}

/**
 * The lines the logs view holds, at most `capacity` of them (the oldest go first), with an optional filter
 * (text search) maintained incrementally: appending a batch tests only the new lines, so a search stays
 * cheap at thousands of lines per second. Eviction is amortised: lines are dropped in chunks of a tenth of the
 * capacity rather than one by one.
 *
 * The view reads `length` and `at(i)` of the filtered lines and watches `version`, which changes on every
 * mutation.
 */
export class LogBuffer {
  private all: BufferedLine[] = []
  private visible: BufferedLine[] = []
  private filter: ((line: BufferedLine) => boolean) | null = null
  private nextSeq = 0
  version = 0
  /** How many lines fell out of the buffer because of the capacity. */
  evicted = 0

  constructor(readonly capacity: number) {
    if (capacity < 10) throw new Error('capacity must be at least 10')
  }

  append(lines: readonly LogLine[]): void {
    if (lines.length === 0) return
    for (const line of lines) {
      const buffered: BufferedLine = { ...line, seq: this.nextSeq++, lower: line.line.toLowerCase() }
      this.all.push(buffered)
      if (!this.filter || this.filter(buffered)) this.visible.push(buffered)
    }
    const slack = Math.max(1, Math.floor(this.capacity / 10))
    if (this.all.length > this.capacity + slack) this.evict(this.all.length - this.capacity)
    this.version++
  }

  /** Text search, case-insensitive; empty text shows everything. */
  search(text: string): void {
    const needle = text.trim().toLowerCase()
    this.setFilter(needle === '' ? null : (line) => line.lower.includes(needle))
  }

  setFilter(filter: ((line: BufferedLine) => boolean) | null): void {
    this.filter = filter
    this.visible = filter ? this.all.filter(filter) : this.all.slice()
    this.version++
  }

  clear(): void {
    this.all = []
    this.visible = []
    this.version++
  }

  /** Lines shown (after the filter). */
  get length(): number {
    return this.visible.length
  }

  /** Lines held (before the filter). */
  get total(): number {
    return this.all.length
  }

  at(index: number): BufferedLine | undefined {
    return this.visible[index]
  }

  /** Shown lines from `start` (inclusive) to `end` (exclusive). */
  slice(start: number, end: number): BufferedLine[] {
    return this.visible.slice(start, end)
  }

  lines(): readonly BufferedLine[] {
    return this.visible
  }

  private evict(count: number): void {
    const firstKept = this.all[count].seq
    this.all = this.all.slice(count)
    this.evicted += count
    let drop = 0
    while (drop < this.visible.length && this.visible[drop].seq < firstKept) drop++
    if (drop > 0) this.visible = this.visible.slice(drop)
  }
}

/**
 * Collects lines as they arrive and hands them over at most once per animation frame, so a burst of 1,000
 * lines per second costs ~60 renders, not 1,000. `schedule` is requestAnimationFrame in the browser.
 */
export class FrameBatcher<T> {
  private pending: T[] = []
  private scheduled = false

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly schedule: (callback: () => void) => unknown = (cb) => requestAnimationFrame(cb),
  ) {}

  push(items: T[]): void {
    for (const item of items) this.pending.push(item)
    if (this.scheduled) return
    this.scheduled = true
    this.schedule(() => this.drain())
  }

  /** Hands over what is pending now (used before a download, and by tests). */
  drain(): void {
    this.scheduled = false
    if (this.pending.length === 0) return
    const items = this.pending
    this.pending = []
    this.flush(items)
  }

  /** Forgets what is pending (filters changed, page left). */
  discard(): void {
    this.pending = []
  }
}

/** The plain-text form of lines, as a download or a copy holds them. */
export function linesAsText(lines: readonly LogLine[], timestamps: boolean): string {
  return lines
    .map((l) => `${timestamps ? `${l.time} ` : ''}${l.stream === 'stderr' ? '[stderr] ' : ''}${l.line}`)
    .join('\n') + (lines.length ? '\n' : '')
}
