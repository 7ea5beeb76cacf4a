/**
 * Re-indents a big JSON or XML body off the main thread, so formatting a
 * response of a few MiB never freezes the page.
 */
import { prettyJson, prettyXml } from '../../domain/response'

export interface PrettyRequest {
  kind: 'json' | 'xml'
  text: string
}

const scope = self as unknown as DedicatedWorkerGlobalScope

scope.onmessage = (event: MessageEvent<PrettyRequest>) => {
  const { kind, text } = event.data
  scope.postMessage(kind === 'json' ? prettyJson(text) : prettyXml(text))
}
