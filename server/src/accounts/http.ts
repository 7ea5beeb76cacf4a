/**
 * How every accounts route handles a request: CSRF checks on state-changing
 * methods (Origin allowlist when the header is present, JSON content type),
 * the JSON body parsed against a schema and the signed-in caller required;
 * the router answers their HttpErrors as JSON (a 429 with Retry-After).
 */
import type { z } from 'zod'
import type { Handler, Route, RouteContext } from '../http/router.js'
import type { SessionRecord } from '../storage/accountsStore.js'
import type { AccountsModule } from './module.js'
import { HttpError, readJson } from '../http/respond.js'
import { isAllowedOrigin } from '../http/origin.js'
import { readSessionToken, setSessionCookie } from '../auth/sessionCookie.js'

const MAX_BODY_BYTES = 64 * 1024

/** A route whose state-changing methods pass the CSRF checks; the router turns its errors into JSON. */
export function apiRoute(module: AccountsModule, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, handler: Handler): Route {
  return {
    method,
    path,
    handler: async (ctx) => {
      if (method !== 'GET')
        checkCrossSite(module, ctx)
      await handler(ctx)
    },
  }
}

function checkCrossSite(module: AccountsModule, { req }: RouteContext): void {
  if (!isAllowedOrigin(req, module.app.config))
    throw new HttpError(403, 'This request came from another website, so Pigeon refused it. Use Pigeon from its own address.', 'forbidden_origin')
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type !== 'application/json')
    throw new HttpError(415, 'Send this request with the header Content-Type: application/json.', 'json_required')
}

/** The request body, parsed by `schema`; a 400 that names the field when it does not fit. */
export async function readBodyAs<T extends z.ZodType>(ctx: RouteContext, schema: T): Promise<z.infer<T>> {
  const body = await readJson(ctx.req, MAX_BODY_BYTES)
  const parsed = schema.safeParse(body)
  if (parsed.success)
    return parsed.data
  const issue = parsed.error.issues[0]
  const field = issue.path.join('.')
  throw new HttpError(400, field ? `The field "${field}" is missing or has the wrong type: ${issue.message}.` : `The request body does not fit: ${issue.message}.`, 'invalid_request')
}

/** The caller's live session; a 401 when there is none. Re-sends the cookie when its expiry slid. */
export async function requireSession(module: AccountsModule, ctx: RouteContext): Promise<SessionRecord> {
  const resolved = await module.sessions.resolve(ctx.req)
  if (!resolved)
    throw new HttpError(401, 'You are not signed in, or your session has ended. Sign in again.', 'not_signed_in')
  if (resolved.renewed)
    setSessionCookie(ctx.req, ctx.res, module.app.config, readSessionToken(ctx.req)!)
  return resolved.session
}

/** Logs an accounts event with the request id and ids only, never secrets. */
export function logEvent(module: AccountsModule, ctx: RouteContext, event: string, fields: Record<string, unknown>): void {
  module.app.log.info(event, { requestId: ctx.res.getHeader('x-request-id'), ...fields })
}
