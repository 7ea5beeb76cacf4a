/**
 * Live reads: stores follow Dexie through this, without importing Dexie.
 */
import { liveQuery } from 'dexie'

/** A subscription to a live read; call `unsubscribe` when the store is disposed. */
export interface LiveSubscription {
  unsubscribe(): void
}

/** A read that re-runs whenever a table it read from changes. */
export interface LiveRead<T> {
  subscribe(onValue: (value: T) => void, onError?: (error: unknown) => void): LiveSubscription
}

/** Wraps a read (e.g. `() => listCollections(db, id)`) so it re-runs and emits on every relevant change. */
export function observe<T>(read: () => Promise<T> | T): LiveRead<T> {
  const observable = liveQuery(read)
  return {
    subscribe(onValue, onError) {
      const subscription = observable.subscribe({
        next: onValue,
        error: onError ?? ((error: unknown) => console.error('A live read of Pigeon\'s storage failed:', error)),
      })
      return { unsubscribe: () => subscription.unsubscribe() }
    },
  }
}
