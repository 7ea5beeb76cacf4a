/**
 * Schemas of the local-only records (tabs and drafts): they never sync, but
 * they are stored, so they are parsed on the way out like everything else.
 */
import { z } from 'zod/mini'
import { RequestSnapshot } from '../domain/model'

/** An open tab. `entityId` names what it shows (a saved request, an example…), null for a new unsaved request. */
export const TabRecord = z.object({
  id: z.string().check(z.minLength(1)),
  workspaceId: z.string().check(z.minLength(1)),
  position: z.int().check(z.nonnegative()),
  kind: z._default(z.enum(['request', 'example', 'history', 'environment', 'collection', 'folder']), 'request'),
  entityId: z._default(z.nullable(z.string()), null),
  title: z._default(z.string(), 'Untitled Request'),
  pinned: z._default(z.boolean(), false),
  active: z._default(z.boolean(), false),
})
export type TabRecord = z.infer<typeof TabRecord>

/** Unsaved edits of a tab; `baseUpdatedAt` is the saved entity's updatedAt the draft started from. */
export const DraftRecord = z.object({
  tabId: z.string().check(z.minLength(1)),
  workspaceId: z.string().check(z.minLength(1)),
  snapshot: RequestSnapshot,
  baseUpdatedAt: z._default(z.int().check(z.nonnegative()), 0),
  savedAt: z._default(z.int().check(z.nonnegative()), 0),
})
export type DraftRecord = z.infer<typeof DraftRecord>
