/** A fresh fake-indexeddb database per test, and a way to make its disk "full". */
import 'fake-indexeddb/auto'
import { nanoid } from 'nanoid'
import { openPigeonDb, type PigeonDb } from '../../../src/db/schema'

export function freshDb(): PigeonDb {
  return openPigeonDb(`pigeon-test-${nanoid()}`)
}

/**
 * Makes every write to `tables` fail the way a full disk does (a
 * QuotaExceededError DOMException), until the returned function is called.
 * Call it before the first read or write: Dexie builds its stack on open.
 */
export function fillDisk(db: PigeonDb, tables: string[]): () => void {
  let full = true
  db.use({
    stack: 'dbcore',
    name: 'full-disk',
    create: down => ({
      ...down,
      table: (name) => {
        const table = down.table(name)
        return {
          ...table,
          mutate: request => full && tables.includes(name)
            ? Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
            : table.mutate(request),
        }
      },
    }),
  })
  return () => {
    full = false
  }
}
