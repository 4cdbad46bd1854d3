import { ref } from 'vue'

/**
 * Runs one user action: `busy` drives its progress indicator, `error` holds what went wrong until the
 * next attempt. Returns undefined when the action failed, so callers can stop there.
 */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const busy = ref(false)
  const error = ref<unknown>(null)

  async function run(...args: A): Promise<R | undefined> {
    busy.value = true
    error.value = null
    try {
      return await action(...args)
    } catch (caught) {
      error.value = caught
      return undefined
    } finally {
      busy.value = false
    }
  }

  return { busy, error, run }
}
