/** Small helpers to read and answer HTTP requests with JSON. */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** An error whose message is a sentence the user can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = 'error',
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBytes)
      throw new HttpError(413, `The request body is larger than ${Math.round(maxBytes / 1024)} KiB.`, 'too_large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

export async function readJson(req: IncomingMessage, maxBytes = 1024 * 1024): Promise<unknown> {
  const body = await readBody(req, maxBytes)
  if (body.length === 0)
    return {}
  try {
    return JSON.parse(body.toString('utf8'))
  }
  catch {
    throw new HttpError(400, 'The request body is not valid JSON.', 'bad_json')
  }
}
