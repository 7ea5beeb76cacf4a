/**
 * Turns a PreparedBody into something fetch can send, reading file parts
 * from this device's blob store. Multipart bodies get their boundary from
 * FormData, so a user's bare "multipart/form-data" header is replaced.
 */
import type { PreparedBody, PreparedFormPart } from '../domain/prepared'
import { sendErrors } from './errors'

export type ReadFile = (blobId: string) => Promise<Blob | undefined>

export interface FetchBody {
  /** undefined: the request has no body. */
  body: string | FormData | Blob | undefined
}

async function fileOf(blobId: string, fileName: string, readFile: ReadFile): Promise<Blob> {
  const blob = await readFile(blobId)
  if (!blob)
    throw sendErrors.missingFile(fileName)
  return blob
}

async function formDataOf(parts: PreparedFormPart[], readFile: ReadFile): Promise<FormData> {
  const form = new FormData()
  for (const part of parts) {
    if (part.kind === 'text') {
      if (part.contentType)
        form.append(part.name, new Blob([part.value], { type: part.contentType }))
      else
        form.append(part.name, part.value)
      continue
    }
    const blob = await fileOf(part.blobId, part.fileName, readFile)
    const typed = part.contentType ? new Blob([blob], { type: part.contentType }) : blob
    form.append(part.name, typed, part.fileName)
  }
  return form
}

/** The body to hand to fetch (a string, FormData or a Blob). */
export async function fetchBodyOf(body: PreparedBody, readFile: ReadFile): Promise<FetchBody> {
  switch (body.kind) {
    case 'none':
      return { body: undefined }
    case 'text':
      return { body: body.text }
    case 'formdata':
      return { body: await formDataOf(body.parts, readFile) }
    case 'binary':
      return { body: await fileOf(body.blobId, body.name, readFile) }
  }
}

export interface EncodedBody {
  /** null: no body at all (not even an empty one). */
  bytes: Uint8Array | null
  /** The Content-Type the encoding decided (multipart boundary, a file's type), if any. */
  contentType?: string
}

/** The body as bytes, for the Server agent, which cannot carry FormData across. */
export async function encodeBody(body: PreparedBody, readFile: ReadFile): Promise<EncodedBody> {
  if (body.kind === 'none')
    return { bytes: null }
  if (body.kind === 'text')
    return { bytes: new TextEncoder().encode(body.text) }
  const { body: fetchable } = await fetchBodyOf(body, readFile)
  // Response does the multipart encoding the browser would do, boundary included.
  const response = new Response(fetchable)
  const bytes = new Uint8Array(await response.arrayBuffer())
  const type = response.headers.get('content-type') ?? undefined
  return { bytes, contentType: type || undefined }
}

/** True when `headers` set a Content-Type. */
export function hasContentType(headers: Array<[string, string]>): boolean {
  return headers.some(([name]) => name.toLowerCase() === 'content-type')
}

/**
 * The headers to send with a body whose encoding chose `contentType`: a
 * multipart body always carries its own boundary; a file's type is used
 * only when the user set none.
 */
export function withEncodedContentType(headers: Array<[string, string]>, body: PreparedBody, contentType: string | undefined): Array<[string, string]> {
  if (body.kind === 'formdata') {
    const others = headers.filter(([name]) => name.toLowerCase() !== 'content-type')
    return contentType ? [...others, ['Content-Type', contentType]] : others
  }
  if (body.kind === 'binary' && contentType && !hasContentType(headers))
    return [...headers, ['Content-Type', contentType]]
  return headers
}
