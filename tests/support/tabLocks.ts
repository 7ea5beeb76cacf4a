/**
 * A Web Locks stand-in for Node tests of several tabs in one process: the
 * exclusive mode of `navigator.locks.request`, and `query` for the locks
 * held. Share one instance between the "tabs" of one simulated browser.
 */
import type { TabLocks } from '../../src/sync/remote/leadership'

interface Waiter {
  grant: () => void
  signal?: AbortSignal
}

export class InProcessLocks implements TabLocks {
  private readonly held = new Set<string>()
  private readonly queues = new Map<string, Waiter[]>()

  request(name: string, options: { mode: 'exclusive', signal?: AbortSignal }, callback: (lock: unknown) => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const run = (): void => {
        this.held.add(name)
        callback({ name, mode: options.mode }).then(resolve, reject).finally(() => this.release(name))
      }
      if (options.signal?.aborted)
        return reject(new DOMException('The lock request was aborted.', 'AbortError'))
      if (!this.held.has(name))
        return run()
      const waiter: Waiter = { grant: run, signal: options.signal }
      const queue = this.queues.get(name) ?? []
      queue.push(waiter)
      this.queues.set(name, queue)
      options.signal?.addEventListener('abort', () => {
        const index = queue.indexOf(waiter)
        if (index >= 0) {
          queue.splice(index, 1)
          reject(new DOMException('The lock request was aborted.', 'AbortError'))
        }
      })
    })
  }

  async query(): Promise<{ held: Array<{ name: string }> }> {
    return { held: [...this.held].map(name => ({ name })) }
  }

  private release(name: string): void {
    this.held.delete(name)
    const next = this.queues.get(name)?.shift()
    next?.grant()
  }
}
