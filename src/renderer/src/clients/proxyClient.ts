// The proxy.* channels. User name and password go to main and are never read back: only whether some are stored.
import { invoke } from '../api'
import type { RequestOf } from '../shared'

const quiet = { quiet: true }

export const proxyClient = {
  status: () => invoke('proxy.status', {}, quiet),
  /** Throws quietly: the proxy section shows why next to the field. */
  set: (request: RequestOf<'proxy.set'>) => invoke('proxy.set', request, quiet)
}
