// Checking a key against the API before storing it: the desktop app and `comet-video key set`
// both call this, so a mistyped key is caught the same way everywhere.
import type { KeyTestResult } from '../../shared/keys'
import { msg, type Message } from '../../shared/messages'
import { ApiError } from '../http/apiError'
import { CometClient } from '../http/cometClient'
import { RequestBudget } from '../http/requestBudget'
import type { HttpTransport } from '../http/transport'
import type { Clock, Logger } from '../ports'
import { normalizeKey, type SecretStore, SecretStoreError, type SetKeyOptions } from './secretStore'

export interface KeyCheckPorts {
  baseUrl: string
  transport: HttpTransport
  clock: Clock
  logger: Logger
}

/** How long a key check waits for CometAPI before saving the key unchecked. */
const KEY_CHECK_TIMEOUT_MS = 20_000

export type KeyVerdict = { verdict: 'accepted' } | { verdict: 'rejected'; error: ApiError } | { verdict: 'unchecked'; reason: string }

/** Asks the API (an authenticated list call) whether it accepts `key`. */
export async function checkKey(key: string, ports: KeyCheckPorts): Promise<KeyVerdict> {
  const client = new CometClient({
    baseUrl: () => ports.baseUrl,
    keys: { getKey: async () => key },
    transport: ports.transport,
    clock: ports.clock,
    budget: new RequestBudget(ports.clock, 5),
    logger: ports.logger,
    readTimeoutMs: KEY_CHECK_TIMEOUT_MS
  })
  try {
    await client.call({ method: 'GET', path: '/v1/models' }, { cls: 'urgent', action: 'keyCheck' })
    return { verdict: 'accepted' }
  } catch (err) {
    if (err instanceof ApiError && (err.kind === 'auth' || err.kind === 'forbidden' || err.kind === 'bad_base_url')) return { verdict: 'rejected', error: err }
    // Offline or CometAPI busy: keep the key, say it is not checked yet.
    return { verdict: 'unchecked', reason: err instanceof Error ? err.message : String(err) }
  }
}

/** A secret store's own words as they are; anything else as "could not save". */
function sentenceOf(err: unknown): Message {
  if (err instanceof SecretStoreError) return err.sentence ?? msg('key.problem', { detail: err.message })
  return msg('key.storeFailed', { detail: err instanceof Error ? err.message : String(err) })
}

function result(ok: boolean, verified: boolean, m: Message, status: KeyTestResult['status'], needsConsent: KeyTestResult['needsConsent'] = null): KeyTestResult {
  return { ok, verified, message: m.text, code: m.code, params: m.params, status, needsConsent }
}

/** Checks a key, then stores it where the secret store keeps keys; says what happened in one sentence. */
export async function checkAndStoreKey(raw: string, secrets: SecretStore, ports: KeyCheckPorts, opts: SetKeyOptions = {}): Promise<KeyTestResult> {
  let key: string
  try {
    key = normalizeKey(raw)
  } catch (err) {
    return result(false, false, sentenceOf(err), await secrets.status())
  }
  const check = await checkKey(key, ports)
  if (check.verdict === 'rejected') {
    const e = check.error
    // The sentence says what to check; what CometAPI answered goes to the details.
    const sentence = e.kind === 'auth' ? msg('key.rejected') : e.kind === 'forbidden' ? msg('key.forbidden') : e.toMessage()
    const said = e.serverMessage?.replace(/\s*\(request id:[^)]*\)\s*$/i, '').trim() || undefined
    return { ...result(false, true, sentence, await secrets.status()), refusal: { httpStatus: e.status, requestId: e.requestId, serverMessage: said } }
  }
  const unchecked = check.verdict === 'unchecked' ? check.reason : ''
  try {
    const status = await secrets.setKey(key, opts)
    return result(true, !unchecked, msg(`key.saved.${status.storage ?? 'env'}`, { last4: status.last4 ?? '', unchecked }), status)
  } catch (err) {
    return result(false, !unchecked, sentenceOf(err), await secrets.status(), err instanceof SecretStoreError ? err.needsConsent : null)
  }
}
