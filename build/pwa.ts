/**
 * The service worker and web app manifest (vite-plugin-pwa). The PWA module
 * owns this file: precaching, navigation fallback, update behaviour.
 */
import type { PluginOption } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

export function pwaPlugin(): PluginOption {
  return VitePWA({
    registerType: 'prompt',
    injectRegister: false,
    manifest: false,
    workbox: {
      globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
      navigateFallback: '/index.html',
      navigateFallbackDenylist: [/^\/api\//, /^\/sync\//],
    },
  })
}
