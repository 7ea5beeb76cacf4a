/**
 * POST /api/proxy: the Server agent. The caller sends a request description
 * (docs/proxy.md), the server sends it to the target and answers with the
 * target's status, headers, timings and body bytes.
 */
import type { ServerResponse } from 'node:http'
import type { AppContext } from '../app.js'
import type { RouteContext } from '../http/router.js'
import { HttpError, readBody, sendJson } from '../http/respond.js'
import { assertMayUseProxy, corsHeadersFor, isPersonalServer } from './access.js'
import { createAddressPolicy } from './addressPolicy.js'
import { PROXY_ERROR_STATUS, ProxyError } from './errors.js'
import { runProxyJob } from './proxyRequest.js'
import { encodeResponseHead, parseProxyRequest, PROXY_REQUEST_TYPE, PROXY_RESPONSE_TYPE } from './wire.js'

/** Room for the metadata line on top of the largest body. */
const METADATA_ALLOWANCE_BYTES = 1024 * 1024

function answerError(res: ServerResponse, err: ProxyError, headers: Record<string, string>): void {
  sendJson(res, PROXY_ERROR_STATUS[err.kind], { error: err.kind, message: err.message }, headers)
}

export function registerProxy(app: AppContext): void {
  const { config, log } = app
  // Built once at startup, so a malformed PROXY_ALLOWED_RANGES stops the server with a sentence.
  const checkAddress = createAddressPolicy({ loopbackBound: isPersonalServer(config), allowedRanges: config.proxyAllowedRanges })

  async function proxy({ req, res }: RouteContext): Promise<void> {
    // Until the upload is read, a refusal must close the connection: the unread rest of a
    // large body would otherwise sit in front of the next request on a kept-alive socket.
    res.setHeader('connection', 'close')
    const cors = corsHeadersFor(req, config)
    for (const [name, value] of Object.entries(cors))
      res.setHeader(name, value)
    await assertMayUseProxy(app, req)
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    // Requiring this type also keeps plain HTML forms on other sites from posting here.
    if (contentType !== PROXY_REQUEST_TYPE)
      throw new HttpError(415, `Send the proxy request as ${PROXY_REQUEST_TYPE} (a JSON line, a newline, then the body bytes). See docs/proxy.md.`, 'bad_request')
    const payload = await readBody(req, config.proxyMaxResponseBytes + METADATA_ALLOWANCE_BYTES).catch((err: unknown) => {
      if (err instanceof HttpError && err.status === 413)
        throw new HttpError(413, `The request body is larger than ${Math.round(config.proxyMaxResponseBytes / 1024 / 1024)} MiB, the most the Pigeon server will send. Send a smaller body.`, 'too_large')
      throw err
    })
    const { meta, body } = parseProxyRequest(payload)
    res.removeHeader('connection')

    // The caller closing its connection (Cancel in the app) stops the upstream request too.
    const callerGone = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished)
        callerGone.abort()
    })
    try {
      const result = await runProxyJob({
        method: meta.method,
        url: meta.url,
        headers: meta.headers,
        body,
        timeoutMs: meta.timeoutMs ?? config.proxyDefaultTimeoutMs,
        followRedirects: meta.followRedirects,
        maxRedirects: Math.min(meta.maxRedirects ?? config.proxyMaxRedirects, config.proxyMaxRedirects),
      }, { maxResponseBytes: config.proxyMaxResponseBytes, checkAddress, signal: callerGone.signal })
      const head = encodeResponseHead(result.meta)
      res.writeHead(200, {
        'content-type': PROXY_RESPONSE_TYPE,
        'content-length': head.length + result.body.length,
        'cache-control': 'no-store',
      })
      res.write(head)
      res.end(result.body)
    }
    catch (err) {
      if (callerGone.signal.aborted || res.destroyed)
        return
      if (err instanceof ProxyError) {
        answerError(res, err, cors)
        return
      }
      log.error('proxy_failed', { error: (err as Error).message })
      answerError(res, new ProxyError('unknown', `The Pigeon server could not send this request: ${(err as Error).message}.`), cors)
    }
  }

  app.router.add(
    { method: 'POST', path: '/api/proxy', handler: proxy },
    {
      method: 'OPTIONS',
      path: '/api/proxy',
      // Preflight for pages on ALLOWED_ORIGINS; the app itself is same-origin and never asks.
      handler: ({ req, res }) => {
        const cors = corsHeadersFor(req, config)
        if (!cors['access-control-allow-origin']) {
          sendJson(res, 403, { error: 'forbidden_origin', message: 'Only Pigeon itself and ALLOWED_ORIGINS may use this proxy.' })
          return
        }
        res.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' })
        res.end()
      },
    },
  )
}
