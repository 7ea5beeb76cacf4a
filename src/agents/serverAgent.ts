/**
 * The Server agent: asks the Pigeon server to send the request (POST
 * /api/proxy, docs/proxy.md). No CORS, real redirects and cookies, a timing
 * breakdown. Bodies are encoded here, multipart included, because FormData
 * and Blobs cannot travel inside the proxy request otherwise.
 */
import type { AgentResponse, PreparedRequest, SendErrorKind } from '../domain/prepared'
import { SEND_ERROR_KINDS, SendError } from '../domain/prepared'
import type { AgentOptions } from './browserAgent'
import { targetUrl } from './browserAgent'
import { sendErrors } from './errors'
import { decodeProxyResponse, encodeProxyRequest, PROXY_REQUEST_TYPE, PROXY_RESPONSE_TYPE } from './proxyWire'
import { encodeBody, withEncodedContentType } from './requestBody'
import { sendSignal } from './signals'

/** The server enforces the request's timeout; this margin only catches a server that stopped answering. */
const BACKSTOP_MS = 15_000

/** Answers that mean "this server will not proxy for you", not "the target failed". */
const UNAVAILABLE_STATUSES = new Set([401, 403, 404, 405, 415])

/**
 * The Pigeon server cannot act as the agent (not running, not signed in, not
 * a Pigeon server). `retryable` says the request surely did not go out, so
 * the Auto agent may send it with the browser instead.
 */
export class ServerAgentUnavailableError extends SendError {
  constructor(message: string, readonly retryable: boolean) {
    super('unknown', message)
    this.name = 'ServerAgentUnavailableError'
  }
}

function isSendErrorKind(kind: unknown): kind is SendErrorKind {
  return typeof kind === 'string' && (SEND_ERROR_KINDS as readonly string[]).includes(kind)
}

async function errorFrom(response: Response): Promise<SendError> {
  let answer: { error?: unknown, message?: unknown } = {}
  if ((response.headers.get('content-type') ?? '').includes('json'))
    answer = await response.json().catch(() => ({})) as typeof answer
  const message = typeof answer.message === 'string' ? answer.message : undefined
  // A 403 for the target (forbidden_target) is the target's problem; any other 403 is about the caller.
  const unavailable = response.status === 403 ? answer.error !== 'forbidden_target' : UNAVAILABLE_STATUSES.has(response.status)
  if (unavailable)
    return new ServerAgentUnavailableError(message ?? `The Pigeon server answered ${response.status} instead of sending the request. Switch to the Browser agent in Settings.`, true)
  if (isSendErrorKind(answer.error) && message)
    return new SendError(answer.error, message)
  return sendErrors.unknown(message ?? `the Pigeon server answered ${response.status} ${response.statusText}.`)
}

/** Sends `prepared` through the Pigeon server's proxy. */
export async function sendWithServer(prepared: PreparedRequest, options: AgentOptions): Promise<AgentResponse> {
  // Invalid URLs fail here, without a round trip.
  targetUrl(prepared.url)
  const encoded = await encodeBody(prepared.body, options.readFile)
  const payload = encodeProxyRequest({
    method: prepared.method,
    url: prepared.url,
    headers: withEncodedContentType(prepared.headers, prepared.body, encoded.contentType),
    // 0 means "no timeout of my own": the server's default applies.
    timeoutMs: prepared.timeoutMs > 0 ? prepared.timeoutMs : undefined,
    followRedirects: prepared.followRedirects,
    maxRedirects: prepared.maxRedirects,
  }, encoded.bytes)
  const deadline = sendSignal(prepared.timeoutMs > 0 ? prepared.timeoutMs + BACKSTOP_MS : 0, options.signal)
  const started = performance.now()
  try {
    let response: Response
    try {
      response = await fetch(`${options.baseUrl ?? ''}/api/proxy`, {
        method: 'POST',
        headers: { 'content-type': PROXY_REQUEST_TYPE },
        body: payload,
        signal: deadline.signal,
        credentials: 'include',
      })
    }
    catch (err) {
      if (err instanceof TypeError && !deadline.signal.aborted) {
        if (typeof navigator !== 'undefined' && navigator.onLine === false)
          throw sendErrors.offline()
        const refused = (err as { cause?: { code?: unknown } }).cause?.code === 'ECONNREFUSED'
        throw new ServerAgentUnavailableError(sendErrors.serverUnreachable().message, refused)
      }
      throw err
    }
    if (!(response.ok && (response.headers.get('content-type') ?? '').startsWith(PROXY_RESPONSE_TYPE)))
      throw await errorFrom(response)
    const { meta, body } = decodeProxyResponse(new Uint8Array(await response.arrayBuffer()))
    const { total, ...phases } = meta.timings
    return {
      status: meta.status,
      statusText: meta.statusText,
      headers: meta.headers,
      body,
      size: meta.size,
      timeMs: total ?? Math.round(performance.now() - started),
      timings: phases,
      url: meta.url,
      redirects: meta.redirects,
      agent: 'server',
    }
  }
  catch (err) {
    if (err instanceof SendError)
      throw err
    if (deadline.cancelled())
      throw sendErrors.aborted()
    if (deadline.timedOut())
      throw sendErrors.timeout(prepared.url, prepared.timeoutMs)
    throw sendErrors.unknown((err as Error).message ?? String(err))
  }
  finally {
    deadline.dispose()
  }
}
