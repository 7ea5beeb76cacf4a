/**
 * Schemas of the local-only records (tabs and drafts): they never sync, but
 * they are stored, so they are parsed on the way out like everything else.
 */
import { z } from 'zod'
import { RequestSnapshot } from '../domain/model'

/** An open tab. `entityId` names what it shows (a saved request, an example…), null for a new unsaved request. */
export const TabRecord = z.object({
  id: z.string().min(1),
  workspaceId: z.string().min(1),
  position: z.number().int().nonnegative(),
  kind: z.enum(['request', 'example', 'history', 'environment', 'collection', 'folder']).default('request'),
  entityId: z.string().nullable().default(null),
  title: z.string().default('Untitled Request'),
  pinned: z.boolean().default(false),
  active: z.boolean().default(false),
})
export type TabRecord = z.infer<typeof TabRecord>

/** Unsaved edits of a tab; `baseUpdatedAt` is the saved entity's updatedAt the draft started from. */
export const DraftRecord = z.object({
  tabId: z.string().min(1),
  workspaceId: z.string().min(1),
  snapshot: RequestSnapshot,
  baseUpdatedAt: z.number().int().nonnegative().default(0),
  savedAt: z.number().int().nonnegative().default(0),
})
export type DraftRecord = z.infer<typeof DraftRecord>
