// What the jobs are estimated to have cost, and the event that says it changed.
import { invoke, onEvent } from '../api'

export const spendClient = {
  /** Throws quietly: the spend screen shows its own error. */
  summary: () => invoke('spend.summary', {}, { quiet: true }),
  onChanged: (listener: () => void) => onEvent('spend.changed', listener)
}
