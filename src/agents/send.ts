/** Sends a prepared request with the agent chosen in Settings (docs/architecture.md, src/agents). */
import type { AgentResponse, PreparedRequest } from '../domain/prepared'
import type { AgentOptions } from './browserAgent'
import { sendWithAuto } from './autoAgent'
import { sendWithBrowser } from './browserAgent'
import { sendWithServer } from './serverAgent'

export type AgentChoice = 'auto' | 'browser' | 'server'

export interface SendOptions extends AgentOptions {
  agent: AgentChoice
}

/** Sends `prepared` and returns the response, or throws a SendError whose message is a sentence for the user. */
export function send(prepared: PreparedRequest, options: SendOptions): Promise<AgentResponse> {
  const agents = { auto: sendWithAuto, browser: sendWithBrowser, server: sendWithServer }
  return agents[options.agent](prepared, options)
}
