import type { InstanceMetrics } from '../api/types'

/** One point of a chart: time in epoch milliseconds, value in the chart's unit. */
export interface Point {
  t: number
  v: number
}

/**
 * Reduces a series to at most `buckets` points by splitting the time range [from, to) into equal buckets and
 * keeping, per bucket, the mean time and the maximum value (a chart of limits must not hide a spike).
 * Empty buckets stay empty, so a gap in the data shows as a gap. Points outside the range are dropped.
 */
export function downsample(points: readonly Point[], from: number, to: number, buckets: number): Point[] {
  if (buckets < 1 || to <= from) return []
  const width = (to - from) / buckets
  const sums = new Array<number>(buckets).fill(0)
  const counts = new Array<number>(buckets).fill(0)
  const maxima = new Array<number>(buckets).fill(-Infinity)
  for (const p of points) {
    if (p.t < from || p.t >= to || !Number.isFinite(p.v)) continue
    const b = Math.min(buckets - 1, Math.floor((p.t - from) / width))
    sums[b] += p.t
    counts[b]++
    if (p.v > maxima[b]) maxima[b] = p.v
  }
  const out: Point[] = []
  for (let b = 0; b < buckets; b++) {
    if (counts[b] > 0) out.push({ t: sums[b] / counts[b], v: maxima[b] })
  }
  return out
}

export interface Frame {
  width: number
  height: number
  from: number
  to: number
  max: number
}

/**
 * An SVG path through the points (x = time, y = value from the bottom), broken into separate segments where
 * two neighbours are further apart than `gapMs` (missing samples are not interpolated).
 */
export function linePath(points: readonly Point[], frame: Frame, gapMs: number): string {
  const x = (t: number) => ((t - frame.from) / (frame.to - frame.from)) * frame.width
  const y = (v: number) => frame.height - (frame.max > 0 ? Math.min(v, frame.max) / frame.max : 0) * frame.height
  let d = ''
  let prev: Point | null = null
  for (const p of points) {
    const cmd = prev === null || p.t - prev.t > gapMs ? 'M' : 'L'
    d += `${d ? ' ' : ''}${cmd}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`
    prev = p
  }
  return d
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power
  }
  return 10 * power
}

export interface ChartSeries {
  name: string
  points: Point[]
}

/** Splits the API's answer into a CPU series (cores) and a memory series (MiB) per instance, plus memory limits. */
export function seriesOf(instances: readonly InstanceMetrics[]) {
  const cpu: ChartSeries[] = []
  const memory: ChartSeries[] = []
  let memoryLimitMb = 0
  for (const instance of instances) {
    const name = instance.instanceId.slice(0, 8)
    const sorted = [...instance.points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    cpu.push({ name, points: sorted.map((p) => ({ t: Date.parse(p.at), v: p.cpuCores })) })
    memory.push({ name, points: sorted.map((p) => ({ t: Date.parse(p.at), v: p.memoryBytes / 1048576 })) })
    for (const p of sorted) memoryLimitMb = Math.max(memoryLimitMb, p.memoryLimitBytes / 1048576)
  }
  return { cpu, memory, memoryLimitMb }
}
