import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useApi } from '../api/http'
import { tokensApi } from '../api/endpoints'
import type { AccessToken, CreatedAccessToken, NewAccessToken } from '../api/types'

/**
 * The caller's personal access tokens. A new token's secret lives only in `revealed` until the user
 * dismisses it; the list never holds a secret.
 */
export const useTokensStore = defineStore('tokens', () => {
  const tokens = ref<AccessToken[]>([])
  const loaded = ref(false)
  const revealed = ref<CreatedAccessToken | null>(null)

  async function load(): Promise<void> {
    tokens.value = await tokensApi(useApi()).list()
    loaded.value = true
  }

  async function create(request: NewAccessToken): Promise<CreatedAccessToken> {
    const created = await tokensApi(useApi()).create(request)
    revealed.value = created
    const { token: _secret, ...listed } = created
    tokens.value = [listed, ...tokens.value.filter((t) => t.id !== created.id)]
    return created
  }

  async function revoke(id: string): Promise<void> {
    await tokensApi(useApi()).revoke(id)
    // The API keeps listing revoked tokens (with revokedAt); show the same without a round trip.
    const now = new Date().toISOString()
    tokens.value = tokens.value.map((t) => (t.id === id ? { ...t, revokedAt: now, active: false } : t))
    if (revealed.value?.id === id) revealed.value = null
  }

  function dismissSecret(): void {
    revealed.value = null
  }

  return { tokens, loaded, revealed, load, create, revoke, dismissSecret }
})
