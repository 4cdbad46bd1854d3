import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import VirtualList from '../src/components/VirtualList.vue'

function viewportOf(wrapper: ReturnType<typeof mount>) {
  const el = wrapper.get('.vlist').element as HTMLElement
  Object.defineProperty(el, 'clientHeight', { configurable: true, value: 200 })
  return el
}

describe('VirtualList', () => {
  it('renders only the rows in view of 10,000, and follows the newest row while sticking', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => `row ${i}`)
    const wrapper = mount(VirtualList<string>, {
      props: { count: items.length, rowHeight: 20, row: (i: number) => items[i], label: 'rows', stick: true, overscan: 2 },
      slots: { default: `<template #default="{ item }"><span class="cell">{{ item }}</span></template>` },
      attachTo: document.body,
    })
    const el = viewportOf(wrapper)
    window.dispatchEvent(new Event('resize'))
    await nextTick()
    await nextTick()
    const cells = wrapper.findAll('.cell').map((c) => c.text())
    expect(cells.length).toBeLessThan(60)
    expect(cells.at(-1)).toBe('row 9999')
    expect((wrapper.get('.vlist-spacer').element as HTMLElement).style.height).toBe('200000px')
    expect(el.scrollTop).toBeGreaterThan(0)
    wrapper.unmount()
  })

  it('stops sticking when the user scrolls up and starts again at the bottom', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => `row ${i}`)
    const wrapper = mount(VirtualList<string>, {
      props: { count: items.length, rowHeight: 20, row: (i: number) => items[i], label: 'rows', stick: true },
      attachTo: document.body,
    })
    const el = viewportOf(wrapper)
    await nextTick()
    await nextTick()
    el.dispatchEvent(new Event('scroll')) // the list's own scroll to the bottom
    el.scrollTop = 1000
    el.dispatchEvent(new Event('scroll'))
    expect(wrapper.emitted('update:stick')?.at(-1)).toEqual([false])
    await wrapper.setProps({ stick: false })
    el.scrollTop = 1000 * 20 - 200
    el.dispatchEvent(new Event('scroll'))
    expect(wrapper.emitted('update:stick')?.at(-1)).toEqual([true])
    wrapper.unmount()
  })
})
