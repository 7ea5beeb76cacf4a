/**
 * Work that must finish before the app reloads onto a new version, such as
 * writing the drafts of open tabs. Stores register here; the update flow
 * (useAppUpdate.ts) runs every hook, then reloads.
 */
type Hook = () => Promise<void> | void

const hooks = new Set<Hook>()

/** Runs `hook` before an update reload; returns a function that removes it. */
export function onBeforeAppReload(hook: Hook): () => void {
  hooks.add(hook)
  return () => hooks.delete(hook)
}

/** Runs every hook; resolves to the errors of those that failed (none: safe to reload). */
export async function runBeforeReloadHooks(): Promise<Error[]> {
  const results = await Promise.allSettled([...hooks].map(hook => hook()))
  return results
    .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
    .map(result => result.reason instanceof Error ? result.reason : new Error(String(result.reason)))
}
