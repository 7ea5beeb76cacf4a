/**
 * A minimal router: routes in a table, `:name` path parameters, one handler
 * per method and path. Errors thrown as HttpError become JSON answers (with
 * Retry-After when they carry `retryAfter`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError, sendJson } from './respond.js'

export interface RouteContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  params: Record<string, string>
}

export type Handler = (ctx: RouteContext) => Promise<void> | void

export interface Route {
  method: string
  path: string
  handler: Handler
}

interface CompiledRoute extends Route {
  pattern: RegExp
  names: string[]
}

function compile(route: Route): CompiledRoute {
  const names: string[] = []
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return { ...route, pattern: new RegExp(`^${source}$`), names }
}

export class Router {
  private routes: CompiledRoute[] = []

  add(...routes: Route[]): this {
    this.routes.push(...routes.map(compile))
    return this
  }

  /** Handles the request if a route matches its path; returns false otherwise. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const onPath = this.routes.filter(r => r.pattern.test(url.pathname))
    if (onPath.length === 0)
      return false
    const route = onPath.find(r => r.method === req.method)
    if (!route) {
      sendJson(res, 405, { error: 'method_not_allowed', message: `${req.method} is not allowed on ${url.pathname}.` }, { allow: onPath.map(r => r.method).join(', ') })
      return true
    }
    const match = route.pattern.exec(url.pathname)!
    const params: Record<string, string> = {}
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(match[i + 1])
    })
    try {
      await route.handler({ req, res, url, params })
    }
    catch (err) {
      if (res.headersSent) {
        res.destroy()
        return true
      }
      if (!(err instanceof HttpError))
        throw err
      // A 429 carries its wait both in the body and as Retry-After.
      const { retryAfter } = err.extra
      sendJson(res, err.status, { error: err.code, message: err.message, ...err.extra }, typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {})
    }
    return true
  }
}
