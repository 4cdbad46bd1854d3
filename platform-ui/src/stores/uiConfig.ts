import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { UiConfig } from '../api/types'

/** `GET /api/v1/ui-config`: this platform's registry host and apps domain, as users must type them. */
export const useUiConfigStore = defineStore('uiConfig', () => {
  const registryHost = ref(typeof location === 'undefined' ? 'localhost:8080' : location.host)
  const appsDomain = ref('localhost:8000')

  function set(config: Pick<UiConfig, 'registryHost' | 'appsDomain'>): void {
    if (config.registryHost) registryHost.value = config.registryHost
    if (config.appsDomain) appsDomain.value = config.appsDomain
  }

  return { registryHost, appsDomain, set }
})
