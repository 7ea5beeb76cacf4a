/**
 * Toasts: short messages in words, optionally with one action ("Undo").
 * Errors stay until dismissed; the rest leave after a few seconds.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { newId } from '../domain/ids'

export type NotificationKind = 'info' | 'success' | 'error'

export interface NotificationAction {
  label: string
  run: () => void | Promise<void>
}

export interface Notification {
  id: string
  message: string
  kind: NotificationKind
  action?: NotificationAction
}

export interface NotifyOptions {
  message: string
  kind?: NotificationKind
  action?: NotificationAction
  /** How long it stays, in ms; 0 keeps it until dismissed. Default 6 s, errors 0, with an action 8 s. */
  durationMs?: number
}

const MAX_VISIBLE = 4

export const useNotificationsStore = defineStore('notifications', () => {
  const notifications = ref<Notification[]>([])
  const timers = new Map<string, ReturnType<typeof setTimeout>>()

  /** Shows a toast and returns its id. */
  function notify(options: NotifyOptions): string {
    const kind = options.kind ?? 'info'
    const notification: Notification = { id: newId(), message: options.message, kind, action: options.action }
    notifications.value = [...notifications.value, notification].slice(-MAX_VISIBLE)
    const duration = options.durationMs ?? (kind === 'error' ? 0 : options.action ? 8000 : 6000)
    if (duration > 0)
      timers.set(notification.id, setTimeout(() => dismiss(notification.id), duration))
    return notification.id
  }

  /** Removes a toast. */
  function dismiss(id: string): void {
    clearTimeout(timers.get(id))
    timers.delete(id)
    notifications.value = notifications.value.filter(n => n.id !== id)
  }

  /** Runs a toast's action once and removes the toast; failures become an error toast. */
  async function runAction(id: string): Promise<void> {
    const notification = notifications.value.find(n => n.id === id)
    dismiss(id)
    if (!notification?.action)
      return
    try {
      await notification.action.run()
    }
    catch (error) {
      notify({ kind: 'error', message: `${notification.action.label} did not work: ${errorMessage(error)}` })
    }
  }

  return { notifications, notify, dismiss, runAction }
})

/** The message of anything thrown, for showing to a person. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
