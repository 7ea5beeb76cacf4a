import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { pwaPlugin } from './build/pwa'

// The dev server forwards the API and the sync socket to `npm run serve` on 8080.
export default defineConfig({
  plugins: [vue(), pwaPlugin()],
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:8080',
      '/sync': { target: 'ws://localhost:8080', ws: true },
    },
  },
})
