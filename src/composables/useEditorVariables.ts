/**
 * The variable scopes of the request being edited, handed down to every
 * field that highlights `{{variables}}` (URL, header values, auth fields)
 * without threading a prop through each table.
 */
import type { InjectionKey, Ref } from 'vue'
import type { VariableScope } from '../domain/scopes'
import { computed, inject, provide } from 'vue'
import { DYNAMIC_VARIABLES, findVariables, isDynamicVariable, lookupVariable } from '../domain/variables'

const SCOPES_KEY: InjectionKey<Ref<readonly VariableScope[]>> = Symbol('editor-variable-scopes')

/** Makes `scopes` the variables every field below this component resolves against. */
export function provideEditorVariables(scopes: Ref<readonly VariableScope[]>): void {
  provide(SCOPES_KEY, scopes)
}

/** One piece of a highlighted text: plain text, or a `{{variable}}` with what it resolves to. */
export type TextSegment =
  | { kind: 'text', text: string }
  | { kind: 'variable', text: string, name: string, state: 'resolved' | 'unresolved', hint: VariableHint }

/** What a hover card says about a variable. */
export interface VariableHint {
  name: string
  /** The value to show (secret values masked), or '' when not defined. */
  value: string
  /** "Environment: Staging", "Dynamic variable" or "Not defined in any scope". */
  scope: string
  defined: boolean
}

const MASK = '••••••••'

/** Describes `name` against `scopes` for a hover card; secret values are masked. */
export function describeVariable(name: string, scopes: readonly VariableScope[]): VariableHint {
  const found = lookupVariable(name, scopes)
  if (found)
    return { name, value: found.secret ? MASK : found.value, scope: found.label, defined: true }
  if (isDynamicVariable(name)) {
    const description = DYNAMIC_VARIABLES.find(variable => variable.name === name)?.description ?? ''
    return { name, value: description, scope: 'Dynamic variable', defined: true }
  }
  return { name, value: '', scope: 'Not defined in any scope', defined: false }
}

/** Cuts `text` into plain and variable segments, resolving each variable against `scopes`. */
export function highlightSegments(text: string, scopes: readonly VariableScope[]): TextSegment[] {
  const segments: TextSegment[] = []
  let position = 0
  for (const match of findVariables(text)) {
    if (match.start > position)
      segments.push({ kind: 'text', text: text.slice(position, match.start) })
    const hint = describeVariable(match.name, scopes)
    segments.push({ kind: 'variable', text: text.slice(match.start, match.end), name: match.name, state: hint.defined ? 'resolved' : 'unresolved', hint })
    position = match.end
  }
  if (position < text.length)
    segments.push({ kind: 'text', text: text.slice(position) })
  return segments
}

/** The scopes provided above this component (none when used alone). */
export function useEditorVariables(): Ref<readonly VariableScope[]> {
  const scopes = inject(SCOPES_KEY, null)
  return scopes ?? computed(() => [])
}
