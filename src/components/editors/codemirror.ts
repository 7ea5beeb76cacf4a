/**
 * Everything CodeMirror, in one module that components load with `import()`,
 * so the editor (≈150 KB gzip) stays out of the initial bundle.
 */
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete'
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands'
import { bracketMatching, foldGutter, foldKeymap, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language'
import { type Diagnostic, lintGutter, linter } from '@codemirror/lint'
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search'
import { Compartment, EditorState, type Extension } from '@codemirror/state'
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder } from '@codemirror/view'
import { tags } from '@lezer/highlight'

export type EditorLanguage = 'json' | 'xml' | 'html' | 'javascript' | 'graphql' | 'text'

export interface EditorOptions {
  parent: HTMLElement
  doc: string
  language: EditorLanguage
  readOnly: boolean
  ariaLabel: string
  placeholder?: string
  /** Check JSON syntax and show inline errors (request bodies). */
  lintJson?: boolean
  onChange?: (text: string) => void
  /** Ctrl/Cmd+Enter inside the editor (send the request). */
  onSubmit?: () => void
}

export interface EditorHandle {
  view: EditorView
  setDoc: (text: string) => void
  setLanguage: (language: EditorLanguage, lintJson: boolean) => Promise<void>
  destroy: () => void
}

// Colours come from the app's CSS variables, so the editor follows the light
// and dark themes without being rebuilt.
const highlightStyle = HighlightStyle.define([
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--syntax-string, #0a7d38)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--syntax-number, #b35900)' },
  { tag: [tags.propertyName, tags.attributeName], color: 'var(--syntax-property, #8a2be2)' },
  { tag: [tags.keyword, tags.tagName, tags.typeName], color: 'var(--syntax-keyword, #0550ae)' },
  { tag: [tags.comment, tags.meta], color: 'var(--syntax-comment, #6e7781)', fontStyle: 'italic' },
  { tag: [tags.variableName, tags.definition(tags.variableName)], color: 'var(--syntax-variable, #953800)' },
  { tag: tags.invalid, color: 'var(--danger, #cf222e)' },
])

const theme = EditorView.theme({
  '&': {
    height: '100%',
    fontSize: '13px',
    color: 'var(--text, #1f2328)',
    backgroundColor: 'var(--bg, transparent)',
  },
  '&.cm-focused': { outline: '2px solid var(--focus, #2f6feb)', outlineOffset: '-2px' },
  '.cm-scroller': { fontFamily: 'var(--font-mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--text, #1f2328)' },
  '.cm-gutters': {
    backgroundColor: 'var(--bg-panel, transparent)',
    color: 'var(--text-muted, #6e7781)',
    borderRight: '1px solid var(--border, #d0d7de)',
  },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--bg-hover, rgba(127,127,127,0.08))' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--bg-selected, rgba(47,111,235,0.25)) !important' },
  '.cm-cursor': { borderLeftColor: 'var(--text, #1f2328)' },
  '.cm-panels': { backgroundColor: 'var(--bg-panel, #f6f8fa)', color: 'var(--text, #1f2328)' },
  '.cm-panel input, .cm-panel button': { font: 'inherit', color: 'inherit' },
  '.cm-tooltip': { backgroundColor: 'var(--bg, #fff)', color: 'var(--text, #1f2328)', border: '1px solid var(--border, #d0d7de)' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--bg-panel, #eee)', border: 'none', color: 'var(--text-muted, #555)' },
})

/**
 * JSON syntax errors of a request body. `{{variables}}` are allowed anywhere
 * (they become values when sent), so each is read as a number of the same
 * length; an empty body is fine too.
 */
function jsonWithVariablesLinter(view: EditorView): Diagnostic[] {
  const text = view.state.doc.toString()
  if (text.trim() === '')
    return []
  const masked = text.replace(/\{\{[^{}]*\}\}/g, match => `0${' '.repeat(match.length - 1)}`)
  try {
    JSON.parse(masked)
    return []
  }
  catch (error) {
    const message = (error as Error).message
    const position = errorPosition(message, masked)
    const from = Math.min(position, text.length)
    return [{ from, to: Math.min(from + 1, text.length), severity: 'error', message: `Invalid JSON: ${message}` }]
  }
}

/** Where JSON.parse stopped, from its message ("at position 12" or "line 2 column 5"). */
function errorPosition(message: string, text: string): number {
  const position = /at position (\d+)/.exec(message)
  if (position)
    return Number(position[1])
  const lineColumn = /line (\d+) column (\d+)/.exec(message)
  if (lineColumn) {
    const lines = text.split('\n').slice(0, Number(lineColumn[1]) - 1)
    return lines.reduce((sum, line) => sum + line.length + 1, 0) + Number(lineColumn[2]) - 1
  }
  return text.length
}

/** The language support for a mode, loaded only when first used. */
async function languageExtension(language: EditorLanguage, lintJson: boolean): Promise<Extension> {
  switch (language) {
    case 'json': {
      const { json } = await import('@codemirror/lang-json')
      return lintJson ? [json(), linter(jsonWithVariablesLinter, { delay: 300 }), lintGutter()] : json()
    }
    case 'xml': {
      const { xml } = await import('@codemirror/lang-xml')
      return xml()
    }
    case 'html': {
      const { html } = await import('@codemirror/lang-html')
      return html()
    }
    case 'javascript': {
      const { javascript } = await import('@codemirror/lang-javascript')
      return javascript()
    }
    default:
      return []
  }
}

/** Creates an editor in `parent`; the caller destroys it on unmount. */
export async function createEditor(options: EditorOptions): Promise<EditorHandle> {
  const languageSlot = new Compartment()
  let applyingOutside = false
  const submitKey = keymap.of([{
    key: 'Mod-Enter',
    run: () => {
      options.onSubmit?.()
      return options.onSubmit !== undefined
    },
  }])
  const extensions: Extension[] = [
    submitKey,
    lineNumbers(),
    highlightActiveLineGutter(),
    foldGutter(),
    drawSelection(),
    history(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    syntaxHighlighting(highlightStyle),
    theme,
    EditorView.lineWrapping,
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ 'aria-label': options.ariaLabel }),
    EditorState.readOnly.of(options.readOnly),
    EditorView.editable.of(!options.readOnly),
    languageSlot.of(await languageExtension(options.language, options.lintJson ?? false)),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && !applyingOutside)
        options.onChange?.(update.state.doc.toString())
    }),
  ]
  if (options.placeholder)
    extensions.push(placeholder(options.placeholder))
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({ doc: options.doc, extensions }),
  })
  return {
    view,
    setDoc(text) {
      if (text === view.state.doc.toString())
        return
      applyingOutside = true
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } })
      applyingOutside = false
    },
    async setLanguage(language, lintJson) {
      view.dispatch({ effects: languageSlot.reconfigure(await languageExtension(language, lintJson)) })
    },
    destroy: () => view.destroy(),
  }
}
