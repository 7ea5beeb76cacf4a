/**
 * Two devices of one workspace, each with its own database and doc, and a
 * server Y.Doc between them that behaves as the sync server does: what a
 * device sends is merged and acked (the ack recorded in the update log as
 * the durable-ack code records it); what a device receives is applied with
 * its provider's origin, where the conflict watcher looks.
 */
import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import type { PigeonDb } from '../../../src/db/schema'
import { listConflicts } from '../../../src/db/conflicts'
import { recordAck, readSyncProgress } from '../../../src/db/remoteSync'
import { createWorkspace, openWorkspaceDoc, type WorkspaceHandle } from '../../../src/sync/workspaceDocs'
import { type ConflictWatcher, watchConflicts } from '../../../src/sync/conflicts/watch'
import { freshDb } from './support'

export interface Device { name: string, db: PigeonDb, workspaceId: string, handle: WorkspaceHandle, server: object, watcher: ConflictWatcher }

/** The server's copy of the workspace, and the devices using it. */
export class ServerAndDevices {
  serverDoc = new Y.Doc()
  readonly devices: Device[] = []

  /** Opens a device's workspace doc with the conflict watcher attached, as the connection attaches it. */
  async openDevice(name: string, db: PigeonDb, workspaceId: string): Promise<Device> {
    const handle = openWorkspaceDoc(db, workspaceId)
    await handle.whenLoaded
    const server = { provider: name }
    const watcher = watchConflicts(handle, { provider: server, onStatus: () => () => undefined })
    await watcher.ready
    const device = { name, db, workspaceId, handle, server, watcher }
    this.devices.push(device)
    return device
  }

  /** A laptop and a phone holding the same, fully synced workspace. */
  async laptopAndPhone(): Promise<{ laptop: Device, phone: Device }> {
    const workspaceId = `ws-${Math.random().toString(36).slice(2)}`
    const made: Device[] = []
    for (const name of ['laptop', 'phone']) {
      const db = freshDb()
      await createWorkspace(db, 'Shared', 'team', workspaceId)
      made.push(await this.openDevice(name, db, workspaceId))
    }
    return { laptop: made[0], phone: made[1] }
  }

  /** The device's changes reach the server and are acked: the ack mark covers the whole log. */
  async sendToServer(device: Device): Promise<void> {
    Y.applyUpdate(this.serverDoc, Y.encodeStateAsUpdate(device.handle.doc, Y.encodeStateVector(this.serverDoc)))
    await device.handle.flushed()
    const { lastSeq } = await readSyncProgress(device.db, device.handle.docName)
    await recordAck(device.db, device.handle.docName, lastSeq)
    await device.watcher.refresh()
  }

  /** The server sends the device what it misses (its answer to the device's step 1, or a broadcast). */
  receive(device: Device): void {
    Y.applyUpdate(device.handle.doc, Y.encodeStateAsUpdate(this.serverDoc, Y.encodeStateVector(device.handle.doc)), device.server)
  }

  /** A device comes back online: it gets what it misses first, then its own changes are sent and acked. */
  async reconnect(device: Device): Promise<void> {
    this.receive(device)
    await this.sendToServer(device)
  }

  /** Everything in sync: each device sends, then each receives. */
  async syncAll(): Promise<void> {
    for (const device of this.devices)
      await this.reconnect(device)
    for (const device of this.devices)
      this.receive(device)
  }

  async conflictsOn(device: Device) {
    await device.watcher.stored()
    await device.handle.flushed()
    return (await listConflicts(device.db, device.workspaceId)).standing
  }

  async close(): Promise<void> {
    this.serverDoc = new Y.Doc()
    for (const device of this.devices.splice(0)) {
      device.watcher.stop()
      await device.handle.close()
    }
  }
}
