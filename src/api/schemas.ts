/**
 * The shapes of the server's JSON answers (docs/api.md), checked at the
 * boundary so the rest of the app can trust them.
 */
import { z } from 'zod/mini'

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  username: z.string(),
  createdAt: z.number(),
})
export type User = z.infer<typeof UserSchema>

export const SessionSchema = z.object({
  sessionId: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  browser: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  expiresAt: z.number(),
  current: z.boolean(),
})
export type Session = z.infer<typeof SessionSchema>

/** A device in the 409 device-limit refusal: enough to choose which one to sign out. */
export const LimitedDeviceSchema = z.object({
  sessionId: z.string(),
  deviceName: z.string(),
  browser: z.string(),
  lastSeenAt: z.number(),
})
export type LimitedDevice = z.infer<typeof LimitedDeviceSchema>

export const WorkspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['personal', 'team']),
  ownerId: z.string(),
  role: z.enum(['owner', 'editor', 'viewer']),
  createdAt: z.number(),
  updatedAt: z.number(),
})
export type Workspace = z.infer<typeof WorkspaceSchema>

export const SignedInSchema = z.object({ user: UserSchema, session: SessionSchema })
export type SignedIn = z.infer<typeof SignedInSchema>

export const SignedUpSchema = z.extend(SignedInSchema, { workspaces: z.array(WorkspaceSchema) })
export type SignedUp = z.infer<typeof SignedUpSchema>

export const SessionListSchema = z.object({ sessions: z.array(SessionSchema) })
export const OneSessionSchema = z.object({ session: SessionSchema })
export const MessageSchema = z.object({ message: z.string() })

/** Every error answer: a stable code and a sentence for the user, sometimes more fields. */
export const ErrorBodySchema = z.looseObject({
  error: z.string(),
  message: z.string(),
  retryAfter: z.optional(z.number()),
  devices: z.optional(z.array(LimitedDeviceSchema)),
})
export type ErrorBody = z.infer<typeof ErrorBodySchema>
