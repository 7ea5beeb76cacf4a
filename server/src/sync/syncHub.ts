/**
 * Every open sync socket and every document in memory, in one process: opens
 * documents (one actor each), finds sockets to close when access changes, and
 * drains everything on shutdown.
 */
import type { Logger } from '../log.js'
import type { DocumentStore } from '../storage/documents.js'
import type { SyncConnection } from './connection.js'
import type { SyncConfig } from './syncConfig.js'
import { DocumentActor } from './documentActor.js'

export class SyncHub {
  private readonly actors = new Map<string, DocumentActor>()
  readonly connections = new Set<SyncConnection>()
  /** Workspaces deleted while this process runs: refused even if a lookup raced with the deletion. */
  readonly deletedWorkspaces = new Set<string>()
  /** Sessions revoked while this process runs, for the same race. */
  readonly revokedSessions = new Set<string>()

  constructor(
    readonly store: DocumentStore,
    readonly config: SyncConfig,
    private readonly log: Logger,
  ) {}

  /** Attaches an authorised connection to its document, loading the document if it is not in memory. */
  join(connection: SyncConnection): DocumentActor {
    let actor = this.actors.get(connection.documentName)
    if (!actor) {
      actor = new DocumentActor(connection.documentName, {
        store: this.store,
        config: this.config,
        log: this.log,
        onGone: gone => this.actors.get(gone.name) === gone && this.actors.delete(gone.name),
      })
      this.actors.set(actor.name, actor)
      void actor.load()
    }
    actor.attach(connection)
    return actor
  }

  /** The document actor in memory for `name`, if any. */
  actor(name: string): DocumentActor | undefined {
    return this.actors.get(name)
  }

  /** Names of the documents in memory that start with `prefix`. */
  actorNames(prefix: string): string[] {
    return [...this.actors.keys()].filter(name => name.startsWith(prefix))
  }

  /** Open connections matching `predicate`. */
  connectionsWhere(predicate: (connection: SyncConnection) => boolean): SyncConnection[] {
    return [...this.connections].filter(c => !c.closed && predicate(c))
  }

  countForSession(sessionId: string): number {
    return this.connectionsWhere(c => c.caller?.sessionId === sessionId).length
  }

  /** Waits until every document has committed and answered what it has queued. */
  async drain(): Promise<void> {
    await Promise.all([...this.actors.values()].map(actor => actor.drain()))
  }

  get documentsInMemory(): number {
    return this.actors.size
  }
}
