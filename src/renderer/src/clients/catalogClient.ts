// The model catalog: the list main keeps (cached, refreshed from the API) and its change event.
import { invoke, onEvent } from '../api'

export const catalogClient = {
  /** Throws quietly: the compose screen shows a catalog that cannot be loaded. */
  list: (refresh = false) => invoke('catalog.list', refresh ? { refresh: true } : {}, { quiet: true }),
  onChanged: (listener: () => void) => onEvent('catalog.changed', listener)
}
