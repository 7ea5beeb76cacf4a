/**
 * Structured logs: one JSON object per line on stdout. Never pass secrets
 * (passwords, tokens, cookies) in fields; ids only.
 */
export type LogFields = Record<string, unknown>

export interface Logger {
  info: (event: string, fields?: LogFields) => void
  warn: (event: string, fields?: LogFields) => void
  error: (event: string, fields?: LogFields) => void
}

function write(level: string, event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })
  process.stdout.write(`${line}\n`)
}

export const log: Logger = {
  info: (event, fields) => write('info', event, fields),
  warn: (event, fields) => write('warn', event, fields),
  error: (event, fields) => write('error', event, fields),
}
