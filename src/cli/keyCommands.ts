// comet-video key set|status|clear|list|use|cap|remove — named keys, each in its own keychain
// entry; without --name everything acts on the default key, as before named keys existed.
import type { Engine } from '../core/engine'
import type { HttpTransport } from '../core/http/transport'
import { nodeHttpTransport } from '../core/http/transport'
import { silentLogger, systemClock } from '../core/ports'
import { checkAndStoreKey } from '../core/secrets/keyCheck'
import type { KeyVault } from '../core/secrets/keyVault'
import { SecretStoreError } from '../core/secrets/secretStore'
import { DEFAULT_KEY_ID, KEY_STORAGE_WORDS, type KeyStatus } from '../shared/keys'
import { SentenceError } from '../shared/messages'
import { formatMoney } from '../shared/money'
import { parse, str, UsageError } from './args'
import { EXIT } from './jobCommands'
import { printJson } from './output'
import type { CliIo } from './runtime'

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString('utf8')
}

const where = (status: KeyStatus): string => (status.set ? `…${status.last4}, kept in ${KEY_STORAGE_WORDS[status.source ?? 'keychain']}` : 'no key stored')

export async function keyCommand(engine: Engine, vault: KeyVault, io: CliIo, argv: string[], net: { transport?: HttpTransport }): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, name: { type: 'string' }, yes: { type: 'boolean', short: 'y' } })
  const action = positionals[0] ?? 'status'
  const json = !!values.json
  const $ = (n: number): string => formatMoney(n, 'en-US')
  /** The profile --name (or the NAME after the action) names; the default one when neither is given. */
  const named = (fromPositional = false): { id: string; label: string } | null => {
    const name = str(values.name) ?? (fromPositional ? positionals[1] : undefined)
    if (name === undefined) return null
    const p = engine.keys().find((k) => k.id === name || k.label.toLowerCase() === name.trim().toLowerCase())
    return p ? { id: p.id, label: p.label } : null
  }
  const ports = { baseUrl: engine.settings.baseUrl, transport: net.transport ?? nodeHttpTransport, clock: systemClock, logger: silentLogger }
  try {
    if (action === 'set') {
      if (positionals.length > 1) throw new UsageError('The key is read from standard input, never from the command line (it would stay in your shell history). Example: comet-video key set --name Team < key.txt')
      if (io.stdin.isTTY) io.stderr.write('Paste your CometAPI key and press Enter, then Ctrl-D:\n')
      const raw = await readStdin(io.stdin)
      const name = str(values.name)
      const existing = named()
      // A new name makes a new named key (its label checked before the key is tested or stored).
      const fresh = name !== undefined && !existing ? engine.prepareKey(name) : null
      const id = existing?.id ?? fresh?.id ?? DEFAULT_KEY_ID
      // Checked against the API first, as the app does: a mistyped or revoked key is not stored.
      const result = await checkAndStoreKey(raw, vault.store(id), ports)
      if (result.ok && fresh) engine.addKey(fresh.id, fresh.label)
      if (!result.ok && fresh) await vault.forget(fresh.id).catch(() => undefined)
      const label = existing?.label ?? fresh?.label ?? engine.keys().find((k) => k.id === id)?.label ?? 'Main'
      if (json) printJson(io, { ...result.status, name: label, ok: result.ok, verified: result.verified, message: result.message, refusal: result.refusal ?? null })
      else {
        ;(result.ok ? io.stdout : io.stderr).write(`${name !== undefined && result.ok ? `Key “${label}”: ` : ''}${result.message}\n`)
        const r = result.refusal
        if (r) io.stderr.write(`CometAPI answered: ${[r.httpStatus ? `HTTP ${r.httpStatus}` : '', r.serverMessage ? `“${r.serverMessage}”` : '', r.requestId ? `request id ${r.requestId}` : ''].filter(Boolean).join(', ')}\n`)
      }
      return result.ok ? EXIT.ok : EXIT.auth
    }
    if (action === 'list') {
      const keys = await Promise.all(engine.keys().map(async (k) => ({ ...k, status: await vault.store(k.id).status() })))
      if (json) printJson(io, keys.map((k) => ({ id: k.id, name: k.label, default: k.isDefault, set: k.status.set, last4: k.status.last4, source: k.status.source, spentToday: k.spentToday, dailyCap: k.dailyCap, unfinishedJobs: k.inFlight })))
      else {
        for (const k of keys) {
          const cap = k.dailyCap != null ? `, cap ${$(k.dailyCap)}/day` : ''
          io.stdout.write(`${k.isDefault ? '*' : ' '} ${k.label.padEnd(24)} ${where(k.status)}; today ${$(k.spentToday)}${cap}${k.inFlight ? `; ${k.inFlight} unfinished job(s)` : ''}\n`)
        }
        io.stdout.write('(* the default key: new jobs go with it unless --key NAME says otherwise)\n')
      }
      return EXIT.ok
    }
    if (action === 'use') {
      const p = named(true)
      if (!p) throw new UsageError(`key use needs the name of a key (see comet-video key list).`)
      engine.updateKey(p.id, { makeDefault: true })
      if (json) printJson(io, { id: p.id, name: p.label, default: true })
      else io.stdout.write(`New jobs now go with the key “${p.label}”. Jobs already made keep the key they were made with.\n`)
      return EXIT.ok
    }
    if (action === 'cap') {
      const p = named(true)
      const amount = positionals[str(values.name) === undefined ? 2 : 1]
      if (!p || amount === undefined) throw new UsageError('Usage: comet-video key cap NAME AMOUNT|none')
      const cap = amount === 'none' ? null : Number(amount)
      if (cap !== null && (!Number.isFinite(cap) || cap < 0)) throw new UsageError('The cap is an amount of 0 or more, or none.')
      engine.updateKey(p.id, { dailyCap: cap })
      if (json) printJson(io, { id: p.id, name: p.label, dailyCap: cap })
      else io.stdout.write(cap === null ? `The key “${p.label}” has no cap of its own.\n` : `The key “${p.label}” is held at ${$(cap)} a day.\n`)
      return EXIT.ok
    }
    if (action === 'remove') {
      const p = named(true)
      if (!p) throw new UsageError('key remove needs the name of a key (see comet-video key list).')
      const r = engine.removeKey(p.id, !!values.yes)
      if (!r.removed) {
        io.stderr.write(`${r.question?.text ?? ''}\nRun again with --yes to remove it anyway.\n`)
        if (json) printJson(io, { removed: false, unfinishedJobs: r.inFlight })
        return EXIT.usage
      }
      await vault.forget(p.id)
      if (json) printJson(io, { removed: true, unfinishedJobs: r.inFlight })
      else io.stdout.write(`Removed the key “${p.label}”.\n`)
      return EXIT.ok
    }
    const target = named() ?? { id: DEFAULT_KEY_ID, label: engine.keys().find((k) => k.id === DEFAULT_KEY_ID)?.label ?? 'Main' }
    if (str(values.name) !== undefined && !named()) throw new UsageError(`There is no key named “${str(values.name)}”. See the keys with: comet-video key list`)
    const store = vault.store(target.id)
    if (action === 'clear') {
      const status = await store.clearKey()
      if (json) printJson(io, status)
      else io.stdout.write(status.set ? `Key removed from the keychain, but COMETAPI_KEY is still set (…${status.last4}).\n` : 'Key removed.\n')
      return EXIT.ok
    }
    if (action === 'status') {
      const status = await store.status()
      if (json) printJson(io, { ...status, name: target.label })
      else {
        const label = target.id === DEFAULT_KEY_ID ? '' : ` “${target.label}”`
        io.stdout.write(status.set ? `Key${label} set (…${status.last4}), kept in ${KEY_STORAGE_WORDS[status.source ?? 'keychain']}.\n` : `No key${label} set. Run: comet-video key set${label ? ` --name ${target.label}` : ''} < key.txt (or set COMETAPI_KEY).\n`)
        if (status.storage) io.stdout.write(`A new key would be kept in ${KEY_STORAGE_WORDS[status.storage]}.\n`)
        if (status.problem) io.stdout.write(`Note: ${status.problem}\n`)
      }
      return status.set ? EXIT.ok : EXIT.auth
    }
    throw new UsageError('key needs set, status, clear, list, use, cap or remove.')
  } catch (err) {
    if (err instanceof SecretStoreError) {
      io.stderr.write(`${err.message}\n`)
      return EXIT.auth
    }
    if (err instanceof SentenceError) {
      io.stderr.write(`${err.message}\n`)
      return EXIT.usage
    }
    throw err
  }
}
