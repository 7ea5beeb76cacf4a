/**
 * Runs in the browser (seed page): writes the generated workspace into the
 * app's own database (`pigeon-local`) as a new local workspace, the way an
 * import would, and makes it the active one so the next start of the app
 * opens it.
 */
import { setSetting } from '../../src/db/local'
import { openPigeonDb } from '../../src/db/schema'
import { importEntities } from '../../src/sync/mutations'
import { createWorkspace, openWorkspaceDoc } from '../../src/sync/workspaceDocs'
import { generateWorkspace, type WorkspaceSize } from './workspace'

/** The settings key src/stores/workspaces.ts reads to reopen the last workspace. */
const ACTIVE_WORKSPACE_SETTING = 'activeWorkspaceId'

/** Seeds the app's database; returns the new workspace's id. */
export async function seedAppDatabase(size: WorkspaceSize, name: string): Promise<string> {
  const db = openPigeonDb()
  try {
    const workspace = await createWorkspace(db, name)
    const handle = openWorkspaceDoc(db, workspace.id)
    await handle.whenLoaded
    importEntities(handle, generateWorkspace(size))
    await handle.close()
    await setSetting(db, ACTIVE_WORKSPACE_SETTING, workspace.id)
    return workspace.id
  }
  finally {
    db.close()
  }
}
