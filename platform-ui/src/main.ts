import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import BootError from './views/BootError.vue'
import { buildRouter } from './router'
import { ApiClient } from './api/client'
import { provideApi } from './api/http'
import { fetchUiConfig } from './api/endpoints'
import { OidcAuthenticator } from './auth/oidcAuthenticator'
import { useSessionStore } from './stores/session'
import { useUiConfigStore } from './stores/uiConfig'
import './styles/main.css'

async function boot() {
  let config
  try {
    config = await fetchUiConfig()
  } catch (error) {
    createApp(BootError, { error }).mount('#app')
    return
  }

  const app = createApp(App)
  app.use(createPinia())
  useUiConfigStore().set(config)
  const session = useSessionStore()
  const router = buildRouter()

  provideApi(
    new ApiClient({
      accessToken: () => session.accessToken(),
      onUnauthorized: () => void session.expired(router.currentRoute.value.fullPath),
    }),
  )
  await session.init(new OidcAuthenticator(config.oidc.authority, config.oidc.clientId))

  app.use(router)
  app.mount('#app')
}

void boot()
