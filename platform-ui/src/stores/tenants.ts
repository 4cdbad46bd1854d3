import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useApi } from '../api/http'
import { meApi, tenantsApi } from '../api/endpoints'
import type { Me, Role } from '../api/types'
import { ROLES } from '../api/types'

const REMEMBERED_TENANT = 'slipway.tenant'

/** The caller (`GET /api/v1/me`), the tenants they belong to, and which one the dashboard is showing. */
export const useTenantsStore = defineStore('tenants', () => {
  const me = ref<Me | null>(null)
  const current = ref<string | null>(localStorage.getItem(REMEMBERED_TENANT))
  const loading = ref(false)
  /** Why the last load failed; the layout shows it with a retry. */
  const error = ref<unknown>(null)

  const tenants = computed(() => me.value?.tenants ?? [])
  const currentRole = computed<Role | null>(
    () => tenants.value.find((t) => t.name === current.value)?.role ?? null,
  )

  async function load(): Promise<void> {
    loading.value = true
    try {
      me.value = await meApi(useApi()).get()
      error.value = null
      if (!tenants.value.some((t) => t.name === current.value)) {
        select(tenants.value[0]?.name ?? null)
      }
    } catch (caught) {
      error.value = caught
      throw caught
    } finally {
      loading.value = false
    }
  }

  function select(name: string | null): void {
    current.value = name
    if (name) localStorage.setItem(REMEMBERED_TENANT, name)
    else localStorage.removeItem(REMEMBERED_TENANT)
  }

  function isMember(name: string): boolean {
    return tenants.value.some((t) => t.name === name)
  }

  /** Creates the tenant (the caller becomes its owner) and switches to it. */
  async function create(name: string): Promise<void> {
    await tenantsApi(useApi()).create(name)
    await load()
    select(name)
  }

  function hasRole(minimum: Role): boolean {
    const role = currentRole.value
    return role !== null && ROLES.indexOf(role) >= ROLES.indexOf(minimum)
  }

  return { me, current, loading, error, tenants, currentRole, load, select, isMember, create, hasRole }
})
