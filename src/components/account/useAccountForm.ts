import type { Ref } from 'vue'
import { ref } from 'vue'
import { fieldOf, messageOf } from './accountText'

/**
 * What every account form keeps while it talks to the session store: an
 * error in words under each field, an alert above the form, and `busy` (the
 * submit button waits). `run` sends one submit: a refusal about a field
 * goes under it, anything else to the alert. Checking the fields before
 * sending stays with each form, since each asks for different things.
 */
export function useAccountForm<Field extends string = never>(fields: readonly Field[] = [], firstAlert: string | null = null): {
  errors: Ref<Record<Field, string | null>>
  alert: Ref<string | null>
  busy: Ref<boolean>
  run: (action: () => Promise<void>, refusalFields?: readonly Field[]) => Promise<void>
} {
  const errors = ref(Object.fromEntries(fields.map(field => [field, null]))) as Ref<Record<Field, string | null>>
  const alert = ref<string | null>(firstAlert)
  const busy = ref(false)

  /** `refusalFields`: the fields a server refusal may be shown under; one about any other field goes to the alert. */
  async function run(action: () => Promise<void>, refusalFields: readonly Field[] = []): Promise<void> {
    busy.value = true
    alert.value = null
    try {
      await action()
    }
    catch (error) {
      const field = fieldOf(error, refusalFields)
      if (field)
        errors.value[field] = messageOf(error)
      else
        alert.value = messageOf(error)
    }
    finally {
      busy.value = false
    }
  }

  return { errors, alert, busy, run }
}
