/** Reads a fetch Response body up to a byte limit, so a huge answer fails early instead of filling memory. */
import { sendErrors } from './errors'

/** The whole body, or a too_large SendError once more than `maxBytes` arrived. */
export async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel()
    throw sendErrors.tooLarge(maxBytes)
  }
  if (!response.body)
    return new Uint8Array(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done)
      break
    size += value.length
    if (size > maxBytes) {
      await reader.cancel()
      throw sendErrors.tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.length
  }
  return body
}
