/**
 * The service worker and web app manifest (vite-plugin-pwa). The PWA module
 * owns this file: precaching, navigation fallback, update behaviour.
 *
 * Update behaviour, in one place: a new worker installs in the background
 * (precaching every asset of the new build) and then WAITS. It only takes over
 * when the user clicks "Reload" in the app, which posts SKIP_WAITING
 * (src/pwa/useAppUpdate.ts). `clientsClaim` makes a freshly activated worker
 * control the open pages at once — on first visit, so the app works offline
 * without a second load; after an accepted update, so the page that asked
 * reloads onto the new version. If any asset of a new build fails to
 * download, the install fails and the previous worker keeps serving the
 * previous version (Workbox installs all or nothing).
 */
import type { Plugin, PluginOption } from 'vite'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { VitePWA } from 'vite-plugin-pwa'

const root = path.resolve(import.meta.dirname, '..')

/** Brand orange (src/styles/theme.css --accent): the title bar of the installed app. */
const THEME_COLOR = '#ff6c37'
/** --bg-app of the light theme: the splash screen while the app starts. */
const BACKGROUND_COLOR = '#f6f7f9'

/** The version shown in the app: VITE_APP_VERSION when a deployment sets it, otherwise package.json's. */
export function appVersion(): string {
  if (process.env.VITE_APP_VERSION)
    return process.env.VITE_APP_VERSION
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}

/** Icons, theme colour and the version in index.html, so the HTML shell itself says which build it is. */
function headTags(version: string): Plugin {
  return {
    name: 'pigeon:pwa-head',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'name': 'theme-color', 'content': THEME_COLOR }, injectTo: 'head' },
      { tag: 'meta', attrs: { 'name': 'application-version', 'content': version }, injectTo: 'head' },
      { tag: 'link', attrs: { 'rel': 'icon', 'href': '/favicon.svg', 'type': 'image/svg+xml' }, injectTo: 'head' },
      { tag: 'link', attrs: { 'rel': 'icon', 'href': '/favicon-32x32.png', 'sizes': '32x32', 'type': 'image/png' }, injectTo: 'head' },
      { tag: 'link', attrs: { 'rel': 'apple-touch-icon', 'href': '/apple-touch-icon-180x180.png' }, injectTo: 'head' },
    ],
  }
}

export function pwaPlugin(): PluginOption {
  const version = appVersion()
  // import.meta.env.VITE_APP_VERSION in the client, with the package version as the default.
  process.env.VITE_APP_VERSION = version
  return [
    headTags(version),
    VitePWA({
      // The minified worker without Workbox's debug logging, even when a test
      // runner sets NODE_ENV=test (vite build is always a deployable build).
      mode: 'production',
      registerType: 'prompt',
      // src/pwa registers the worker itself with workbox-window.
      injectRegister: false,
      manifestFilename: 'manifest.webmanifest',
      manifest: {
        id: '/',
        name: 'Pigeon',
        short_name: 'Pigeon',
        description: 'An offline-first API client: build, send and organise HTTP requests, with or without a network.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: THEME_COLOR,
        background_color: BACKGROUND_COLOR,
        categories: ['developer', 'productivity', 'utilities'],
        icons: [
          { src: '/pwa-192x192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/pwa-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/maskable-icon-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Every emitted file, lazily loaded chunks included (editors, language
        // modes, rarely used views): the app may need any of them offline.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,webp,woff,woff2,ttf,json}'],
        // A chunk over the limit would be left out silently and break offline use.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/healthz$/, /^\/readyz$/],
        clientsClaim: true,
        skipWaiting: false,
        cleanupOutdatedCaches: true,
      },
    }),
  ]
}
