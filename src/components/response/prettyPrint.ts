/**
 * Pretty JSON/XML for the response viewer: small bodies are formatted right
 * away, bigger ones in a worker (see prettyPrint.worker.ts).
 */
import type { PrettyRequest } from './prettyPrint.worker'
import { prettyJson, prettyXml } from '../../domain/response'

/** Bodies up to this size are formatted on the main thread (a few ms). */
export const INLINE_PRETTY_CHARS = 256 * 1024

/** The formatted text, at once for small bodies. */
export function prettyInline(kind: 'json' | 'xml', text: string): string {
  return kind === 'json' ? prettyJson(text) : prettyXml(text)
}

/** Formats in a worker; falls back to the main thread where workers are missing. */
export function prettyInWorker(kind: 'json' | 'xml', text: string): Promise<string> {
  if (typeof Worker === 'undefined')
    return Promise.resolve(prettyInline(kind, text))
  const worker = new Worker(new URL('./prettyPrint.worker.ts', import.meta.url), { type: 'module' })
  return new Promise<string>((resolve) => {
    worker.onmessage = (event: MessageEvent<string>) => {
      worker.terminate()
      resolve(event.data)
    }
    worker.onerror = () => {
      worker.terminate()
      resolve(text)
    }
    worker.postMessage({ kind, text } satisfies PrettyRequest)
  })
}
