import { describe, expect, it } from 'vitest'
import { downsample, linePath, niceMax, seriesOf } from '../src/metrics/series'

describe('metrics series', () => {
  it('downsamples an hour of 1 s samples to one point per bucket, keeping the peak', () => {
    const from = 0
    const to = 3600_000
    const points = Array.from({ length: 3600 }, (_, i) => ({ t: i * 1000, v: i === 1234 ? 9 : 1 }))
    const reduced = downsample(points, from, to, 60)
    expect(reduced).toHaveLength(60)
    expect(reduced.filter((p) => p.v === 9)).toHaveLength(1)
    expect(reduced[20].v).toBe(9) // sample 1234 s falls into the minute 20
    expect(reduced[0].t).toBeCloseTo(29_500)
  })

  it('leaves empty buckets out so gaps stay visible, and drops points outside the range', () => {
    const points = [{ t: -5, v: 1 }, { t: 10, v: 1 }, { t: 90, v: 2 }, { t: 100, v: 3 }]
    expect(downsample(points, 0, 100, 10)).toEqual([{ t: 10, v: 1 }, { t: 90, v: 2 }])
    expect(downsample(points, 0, 0, 10)).toEqual([])
  })

  it('draws a path in the frame and breaks it at gaps', () => {
    const frame = { width: 100, height: 50, from: 0, to: 100, max: 10 }
    expect(linePath([{ t: 0, v: 0 }, { t: 10, v: 10 }, { t: 50, v: 5 }], frame, 20)).toBe('M0.0,50.0 L10.0,0.0 M50.0,25.0')
    expect(linePath([{ t: 0, v: 20 }], frame, 20)).toBe('M0.0,0.0') // clipped to the frame
  })

  it('rounds axis maxima to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 1.1, 3, 7, 130].map(niceMax)).toEqual([1, 0.5, 1, 2, 5, 10, 200])
  })

  it('splits the API answer into CPU cores and memory MiB per instance, sorted by time', () => {
    const { cpu, memory, memoryLimitMb } = seriesOf([{ instanceId: 'abcdef0123', points: [
      { at: '2026-11-23T10:00:10Z', cpuCores: 0.2, memoryBytes: 2 * 1048576, memoryLimitBytes: 128 * 1048576 },
      { at: '2026-11-23T10:00:00Z', cpuCores: 0.1, memoryBytes: 1048576, memoryLimitBytes: 128 * 1048576 },
    ] }])
    expect(cpu[0].name).toBe('abcdef01')
    expect(cpu[0].points.map((p) => p.v)).toEqual([0.1, 0.2])
    expect(memory[0].points.map((p) => p.v)).toEqual([1, 2])
    expect(memoryLimitMb).toBe(128)
  })
})
