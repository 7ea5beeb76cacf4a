/**
 * Performance marks of a page load, which the load benchmark
 * (bench/load/run.ts) measures:
 * - `pigeon:shell-rendered`: the shell (top bar, layout) is on screen;
 * - `pigeon:interactive`: the workspace is open too, so the sidebar and tabs answer the user.
 */
export const SHELL_RENDERED_MARK = 'pigeon:shell-rendered'
export const INTERACTIVE_MARK = 'pigeon:interactive'

function markOnce(name: string): void {
  if (typeof performance === 'undefined' || performance.getEntriesByName(name, 'mark').length > 0)
    return
  performance.mark(name)
}

/** Marks the shell rendered, once per page load. */
export function markShellRendered(): void {
  markOnce(SHELL_RENDERED_MARK)
}

/** Marks the app interactive, once per page load; later calls change nothing. */
export function markInteractive(): void {
  markOnce(INTERACTIVE_MARK)
}
