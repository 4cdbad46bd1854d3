import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useApi } from '../api/http'
import { appsApi } from '../api/endpoints'
import type { App, DeploymentRequest, Instance, Release } from '../api/types'

/** What the app page shows about the newest deployment while it rolls out. */
export interface Rollout {
  release: Release
  /** Instances of that release, in the order the API lists them. */
  instances: Instance[]
  /** `running` once every desired instance of the release is running (and healthy when a health check exists). */
  phase: 'rolling-out' | 'running' | 'failed' | 'rolled-back' | 'stopped'
  /** For a failed release the platform rolled back from: the release now current. */
  rolledBackTo: string | null
}

/**
 * One app as the app pages see it: the app (with its instances), its releases, and the actions on it. The pages
 * poll `refresh()` every few seconds while visible; every action refreshes right after the API accepts it.
 */
export const useAppStore = defineStore('app', () => {
  const tenant = ref('')
  const name = ref('')
  const app = ref<App | null>(null)
  const releases = ref<Release[] | null>(null)

  const api = () => appsApi(useApi(), tenant.value)

  async function open(tenantName: string, appName: string): Promise<void> {
    if (tenant.value !== tenantName || name.value !== appName) {
      tenant.value = tenantName
      name.value = appName
      app.value = null
      releases.value = null
    }
    await refresh()
  }

  async function refresh(): Promise<void> {
    const [a, r] = await Promise.all([api().get(name.value), api().releases(name.value)])
    app.value = a
    releases.value = r
  }

  const current = computed(() => releases.value?.find((r) => r.release === app.value?.currentRelease) ?? null)
  const newest = computed(() => releases.value?.[0] ?? null)

  const rollout = computed<Rollout | null>(() => {
    const a = app.value
    const release = newest.value
    if (!a || !release) return null
    const instances = a.instances.filter((i) => i.release === release.release)
    const rolledBackTo = release.status === 'failed' && a.currentRelease && a.currentRelease !== release.release ? a.currentRelease : null
    let phase: Rollout['phase']
    if (a.desiredReplicas === 0) phase = 'stopped'
    else if (rolledBackTo) phase = 'rolled-back'
    else if (release.status === 'failed') phase = 'failed'
    else {
      const ready = instances.filter((i) => i.state === 'running' && (release.healthCheck ? i.healthy !== false : true)).length
      phase = release.status === 'running' && ready >= a.desiredReplicas ? 'running' : 'rolling-out'
    }
    return { release, instances, phase, rolledBackTo }
  })

  async function deploy(request: DeploymentRequest) {
    const accepted = await api().deploy(name.value, request)
    await refresh()
    return accepted
  }

  async function rollback(release: string) {
    const accepted = await api().rollback(name.value, release)
    await refresh()
    return accepted
  }

  async function scale(replicas: number) {
    await api().scale(name.value, replicas)
    await refresh()
  }

  async function restart() {
    await api().restart(name.value)
    await refresh()
  }

  async function remove() {
    await api().remove(name.value)
    app.value = null
    releases.value = null
  }

  return { tenant, name, app, releases, current, newest, rollout, open, refresh, deploy, rollback, scale, restart, remove }
})
