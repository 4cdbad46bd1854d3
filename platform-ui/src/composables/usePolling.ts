import { onMounted, onUnmounted } from 'vue'

/**
 * Calls `tick` every `intervalMs` while the page is visible (and once at once when it becomes visible again),
 * never twice at the same time: a slow API does not pile up requests. Stops when the component unmounts.
 */
export function usePolling(tick: () => Promise<unknown>, intervalMs: number) {
  let timer: ReturnType<typeof setTimeout> | null = null
  let running = false
  let active = false

  async function run() {
    if (!active || running) return
    running = true
    try {
      await tick()
    } catch {
      // The caller shows its own error; polling goes on.
    } finally {
      running = false
      schedule()
    }
  }

  function schedule() {
    if (timer) clearTimeout(timer)
    timer = null
    if (!active || document.visibilityState === 'hidden') return
    timer = setTimeout(() => void run(), intervalMs)
  }

  function onVisibility() {
    if (document.visibilityState === 'visible') void run()
    else if (timer) {
      clearTimeout(timer)
      timer = null
    }
  }

  onMounted(() => {
    active = true
    document.addEventListener('visibilitychange', onVisibility)
    schedule()
  })
  onUnmounted(() => {
    active = false
    document.removeEventListener('visibilitychange', onVisibility)
    if (timer) clearTimeout(timer)
  })

  /** Polls now (after an action) and restarts the interval. */
  return { now: () => run() }
}
