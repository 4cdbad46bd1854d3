import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The dev server proxies the API to a platform started with `./slipway up`, so `npm run dev` gives
// hot reload against the real backend (Keycloak allows http://localhost:5173/* as a redirect).
export default defineConfig({
  plugins: [vue()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': process.env.SLIPWAY_URL ?? 'http://localhost:8080' },
  },
  build: {
    // Under target/ so `mvn clean` removes it and Maven packages it from one place.
    outDir: 'target/dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.spec.ts'],
  },
})
