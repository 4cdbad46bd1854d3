import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { defineComponent } from 'vue'

const Blank = defineComponent({ template: '<div />' })

/** The dashboard's route names with blank pages: enough for RouterLink and router.push in component tests. */
export function testRouter(): Router {
  const names = ['apps', 'registry', 'members', 'tokens', 'audit']
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Blank },
      { path: '/tokens', name: 'tokens', component: Blank },
      ...names.filter((n) => n !== 'tokens').map((n) => ({ path: `/t/:tenant/${n}`, name: n, component: Blank })),
      { path: '/t/:tenant/registry/:repository+', name: 'repository', component: Blank },
      {
        path: '/t/:tenant/apps/:app',
        component: Blank,
        children: ['', 'deploy', 'logs', 'metrics', 'config', 'settings'].map((p) => ({ path: p, name: p ? `app-${p}` : 'app', component: Blank })),
      },
    ],
  })
}
