import { nanoid } from 'nanoid'

/**
 * A new id made on this device. Ids are made on the client so that items
 * created offline never need remapping when they sync. nanoid uses
 * `crypto.getRandomValues`, which (unlike `crypto.randomUUID`) also works on
 * plain-http origins such as a LAN address.
 */
export function newId(): string {
  return nanoid()
}
