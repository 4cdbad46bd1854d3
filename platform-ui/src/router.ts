import { createRouter, createWebHistory, type Router, type RouterHistory } from 'vue-router'
import { useSessionStore } from './stores/session'
import { useTenantsStore } from './stores/tenants'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    title?: string
  }
}

export function buildRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({
    history,
    routes: [
      { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
      { path: '/auth/callback', name: 'callback', component: () => import('./views/CallbackView.vue'), meta: { public: true, title: 'Signing in' } },
      { path: '/signed-out', name: 'signed-out', component: () => import('./views/SignedOutView.vue'), meta: { public: true, title: 'Signed out' } },
      { path: '/tenants/new', name: 'tenant-new', component: () => import('./views/CreateTenantView.vue'), meta: { title: 'Create tenant' } },
      { path: '/tokens', name: 'tokens', component: () => import('./views/TokensView.vue'), meta: { title: 'API tokens' } },
      { path: '/t/:tenant/members', name: 'members', component: () => import('./views/MembersView.vue'), props: true, meta: { title: 'Members' } },
      { path: '/t/:tenant/apps', name: 'apps', component: () => import('./views/AppsView.vue'), props: true, meta: { title: 'Apps' } },
      {
        path: '/t/:tenant/apps/:app',
        component: () => import('./views/app/AppLayout.vue'),
        props: true,
        children: [
          { path: '', name: 'app', component: () => import('./views/app/AppOverview.vue'), meta: { title: 'App' } },
          { path: 'deploy', name: 'app-deploy', component: () => import('./views/app/AppDeploy.vue'), meta: { title: 'Deploy' } },
          { path: 'logs', name: 'app-logs', component: () => import('./views/app/AppLogs.vue'), meta: { title: 'Logs' } },
          { path: 'metrics', name: 'app-metrics', component: () => import('./views/app/AppMetrics.vue'), meta: { title: 'Metrics' } },
          { path: 'config', name: 'app-config', component: () => import('./views/app/AppConfig.vue'), meta: { title: 'Config' } },
          { path: 'settings', name: 'app-settings', component: () => import('./views/app/AppSettings.vue'), meta: { title: 'App settings' } },
        ],
      },
      { path: '/t/:tenant/registry', name: 'registry', component: () => import('./views/RegistryView.vue'), props: true, meta: { title: 'Registry' } },
      { path: '/t/:tenant/registry/:repository+', name: 'repository', component: () => import('./views/RepositoryView.vue'), props: true, meta: { title: 'Repository' } },
      { path: '/t/:tenant/audit', name: 'audit', component: () => import('./views/AuditView.vue'), props: true, meta: { title: 'Audit log' } },
      { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { title: 'Not found' } },
    ],
  })

  router.beforeEach(async (to) => {
    if (to.meta.public) return true
    const session = useSessionStore()
    if (!session.signedIn) {
      await session.signIn(to.fullPath)
      return false
    }
    const tenants = useTenantsStore()
    if (!tenants.me) {
      try {
        await tenants.load()
      } catch {
        // The page shows the layout's error banner; a 401 is already on its way to sign-in.
      }
    }
    const tenant = to.params.tenant
    if (typeof tenant === 'string' && tenants.isMember(tenant)) tenants.select(tenant)
    return true
  })

  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Slipway` : 'Slipway'
  })

  return router
}
