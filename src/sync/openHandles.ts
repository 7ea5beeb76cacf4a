/**
 * One Y.Doc per document per tab: opening an open document again returns the
 * same handle, and the doc closes when its last opener closes it.
 */
import type { PigeonDb } from '../db/schema'
import type { CloseOptions, DocHandle } from './persistedDoc'

interface OpenEntry { handle: DocHandle, openers: number, close: (options?: CloseOptions) => Promise<void> }
const openDocs = new WeakMap<PigeonDb, Map<string, OpenEntry>>()

function entriesOf(db: PigeonDb): Map<string, OpenEntry> {
  let byName = openDocs.get(db)
  if (!byName) {
    byName = new Map()
    openDocs.set(db, byName)
  }
  return byName
}

/** The open handle of `docName`, shared, or a new one made by `create`. */
export function shareHandle<H extends DocHandle>(db: PigeonDb, docName: string, create: () => H): H {
  const entries = entriesOf(db)
  const open = entries.get(docName)
  if (open) {
    open.openers++
    return open.handle as H
  }
  const handle = create()
  const entry: OpenEntry = { handle, openers: 1, close: handle.close.bind(handle) }
  entries.set(docName, entry)
  // Each opener's close releases one reference; the last one really closes.
  handle.close = async (options?: CloseOptions) => {
    if (entries.get(docName) !== entry)
      return
    entry.openers--
    if (entry.openers > 0)
      return
    try {
      await entry.close(options)
      entries.delete(docName)
    }
    catch (error) {
      // Still open (unsaved changes): the caller keeps its reference.
      entry.openers++
      throw error
    }
  }
  return handle
}

/** The open handle of `docName`, if any, without taking a reference. */
export function openHandle(db: PigeonDb, docName: string): DocHandle | undefined {
  return entriesOf(db).get(docName)?.handle
}

/** Closes every open doc whose name matches, whoever opened it (the workspace is being deleted). */
export async function closeMatching(db: PigeonDb, matches: (docName: string) => boolean): Promise<void> {
  const entries = entriesOf(db)
  for (const [docName, entry] of [...entries]) {
    if (!matches(docName))
      continue
    entries.delete(docName)
    // Whatever could not be stored goes away with the workspace anyway.
    await entry.close({ discardUnsaved: true })
  }
}
