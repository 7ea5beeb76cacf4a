/**
 * The version of this build, baked in at build time (build/pwa.ts sets
 * VITE_APP_VERSION, defaulting to package.json's version).
 */
export const APP_VERSION: string = import.meta.env.VITE_APP_VERSION ?? 'development'
