/**
 * Rows (headers, parameters, variables, form fields) against a removal or a
 * move on another device. Rows are matched by id, so rows added on two
 * devices both stay. But a row this device changed while unsynced that the
 * other device removed goes with the removal, and one the other device
 * moved (a move is a removal and a copy with the same id) loses this
 * device's change of a cell. Both would vanish without a word: here they
 * become conflicts, the first of the whole row, the second of each cell.
 */
import * as Y from 'yjs'
import type { DocKind } from '../docSchema'
import { DOC_LAYOUT, isMapSpec, isRowsSpec, plainEqual } from '../docSchema'
import type { UnackedItems } from './unackedItems'
import { itemRangesBefore, plainBefore, visibleBefore } from './before'
import { type DetectedConflict, fieldLabelOf, locate, rowsInWords } from './detect'

type Range = [client: number, from: number, to: number]

/** A row a transaction from the server removed, as this device had it. */
export interface RowCandidate {
  kind: DocKind
  entityId: string
  entityName: string
  /** From the entity to the list of rows, e.g. `['headers']` or `['body', 'urlencoded']`. */
  rowsPath: string[]
  row: Record<string, unknown>
  /** Where it was in the list. */
  index: number
  /** Every item of the row: was one this device's unsynced change? */
  items: Range[]
  /** Each cell's newest item: which cells this device changed. */
  cellItems: Record<string, Range>
  /** The copy with the same id in place now when the row was moved, else null (removed). */
  live: Record<string, unknown> | null
}

/** A row removed on another device that this device changed: its conflict, with the row to put back. */
export interface RowRemoval extends Omit<DetectedConflict, 'what' | 'inPlace'> {
  what: 'row'
  rowIndex: number
}

function rowIdOf(value: unknown): string | null {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : null
}

/** A row's left-out cells filled in with the layout's defaults (a row stores only what differs from them). */
function withRowDefaults(kind: DocKind, rowsPath: readonly string[], row: Record<string, unknown>): Record<string, unknown> {
  let spec: unknown = DOC_LAYOUT[kind]
  for (const segment of rowsPath)
    spec = isMapSpec(spec as never) ? (spec as { fields: Record<string, unknown> }).fields[segment] : undefined
  return isRowsSpec(spec as never) ? { ...(spec as { rows: Record<string, unknown> }).rows, ...row } : row
}

function cellItemsOf(tr: Y.Transaction, row: Y.Map<unknown>): Record<string, Range> {
  const cells: Record<string, Range> = {}
  for (const [key, newest] of row._map) {
    for (let item: Y.Item | null = newest; item; item = item.left) {
      if (visibleBefore(tr, item)) {
        cells[key] = [item.id.client, item.id.clock, item.id.clock + item.length]
        break
      }
    }
  }
  return cells
}

/** The rows a transaction from the server removed or moved, with what this device had in them. */
export function removedRowsIn(tr: Y.Transaction, deleted: Y.Item[], kindOfTop: Map<unknown, DocKind>): RowCandidate[] {
  const found: RowCandidate[] = []
  for (const item of deleted) {
    const list = item.parent
    if (!(list instanceof Y.Array) || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.Map) || !visibleBefore(tr, item))
      continue
    const row = plainBefore(tr, item.content.type) as Record<string, unknown>
    const rowId = rowIdOf(row)
    const located = rowId ? locate(list as unknown as Y.AbstractType<unknown>, kindOfTop) : null
    if (!rowId || !located)
      continue
    let index = 0
    for (let at = list._start; at && at !== item; at = at.right) {
      if (visibleBefore(tr, at))
        index += at.length
    }
    const live = list.toArray().find(value => value instanceof Y.Map && value.get('id') === rowId) as Y.Map<unknown> | undefined
    const name = located.entity.get('name')
    found.push({
      kind: located.kind,
      entityId: located.entityId,
      entityName: typeof name === 'string' && name ? name : located.kind === 'globals' ? 'Globals' : located.entityId,
      rowsPath: located.segments,
      row: withRowDefaults(located.kind, located.segments, row),
      index,
      items: itemRangesBefore(tr, item.content.type, [[item.id.client, item.id.clock, item.id.clock + item.length]]),
      cellItems: cellItemsOf(tr, item.content.type),
      live: live ? withRowDefaults(located.kind, located.segments, live.toJSON() as Record<string, unknown>) : null,
    })
  }
  return found
}

/** The rows this device changed that another device removed, and the cells it changed in rows another device moved. */
export function decideRows(candidates: RowCandidate[], unacked: UnackedItems): { removed: RowRemoval[], cells: DetectedConflict[] } {
  const removed: RowRemoval[] = []
  const cells: DetectedConflict[] = []
  const mine = ([client, from, to]: Range) => unacked.overlaps(client, from, to)
  for (const candidate of candidates) {
    const { kind, entityId, entityName, rowsPath, row, live } = candidate
    const rowId = String(row.id)
    const rowName = typeof row.key === 'string' ? row.key : ''
    if (!live) {
      if (candidate.items.some(mine)) {
        removed.push({
          what: 'row',
          kind,
          entityId,
          entityName,
          path: [...rowsPath, rowId],
          fieldLabel: `${rowsInWords(rowsPath)}${rowName ? ` "${rowName}"` : ''}: removed on another device`,
          mine: row,
          theirs: null,
          rowIndex: candidate.index,
        })
      }
      continue
    }
    for (const [cell, range] of Object.entries(candidate.cellItems)) {
      if (!mine(range) || plainEqual(row[cell], live[cell]))
        continue
      const path = [...rowsPath, rowId, cell]
      cells.push({
        what: 'field',
        kind,
        entityId,
        entityName,
        path,
        fieldLabel: fieldLabelOf(path, { at: rowsPath.length, name: rowName }),
        mine: row[cell],
        theirs: live[cell],
        inPlace: 'theirs',
      })
    }
  }
  return { removed, cells }
}
