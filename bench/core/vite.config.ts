/**
 * The app's own build plus the bench-only seed page (bench/core/seed.html),
 * so the seed script shares the app's modules and runs on its origin (same
 * IndexedDB). Build with run.ts; never into dist/.
 */
import path from 'node:path'
import { mergeConfig, type UserConfig } from 'vite'
import appConfig from '../../vite.config'

const root = path.resolve(import.meta.dirname, '..', '..')

export default mergeConfig(appConfig as UserConfig, {
  root,
  logLevel: 'warn',
  build: {
    rollupOptions: {
      input: {
        main: path.join(root, 'index.html'),
        benchSeed: path.join(import.meta.dirname, 'seed.html'),
      },
    },
  },
})
