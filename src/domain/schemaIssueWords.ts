/**
 * The words of schema issues. The client's schemas use `zod/mini`, which tree-shakes
 * (classic zod put ~160 KB into the first load) but ships no messages: every issue
 * would read "Invalid input". People see these issues (a record set aside because
 * "url: Invalid input: expected string, received number"), so this loads zod's
 * English messages, the same ones classic zod loads by itself: about 1.5 KB gzip.
 *
 * Imported for its effect by the modules that define schemas (model.ts,
 * proxyWire.ts); the setting is global to zod, and harmless to repeat.
 */
import english from 'zod/v4/locales/en.js'
import { config } from 'zod/mini'

config(english())
