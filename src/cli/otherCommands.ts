// comet-video library | rescan | key
import type { Engine } from '../core/engine'
import { libraryTrashFallback } from '../core/library/library'
import type { HttpTransport } from '../core/http/transport'
import { nodeHttpTransport } from '../core/http/transport'
import { silentLogger, systemClock } from '../core/ports'
import { checkAndStoreKey } from '../core/secrets/keyCheck'
import { type SecretStore, SecretStoreError } from '../core/secrets/secretStore'
import { KEY_STORAGE_WORDS } from '../shared/keys'
import type { LibraryItem } from '../shared/library'
import { intArg, parse, str, strs, UsageError } from './args'
import { EXIT } from './jobCommands'
import { printJson } from './output'
import type { CliIo } from './runtime'

function itemJson(engine: Engine, i: LibraryItem): Record<string, unknown> {
  return {
    id: i.id,
    jobId: i.jobId,
    file: engine.library.absolutePath(i),
    bytes: i.bytes,
    model: i.model,
    provider: i.provider,
    prompt: i.prompt,
    favorite: i.favorite,
    tags: i.tags,
    completedAt: new Date(i.completedAt).toISOString()
  }
}

export async function libraryCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    search: { type: 'string', short: 's' },
    model: { type: 'string', multiple: true },
    favorite: { type: 'boolean' },
    sort: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    delete: { type: 'string' }
  })
  if (str(values.delete)) {
    await engine.library.delete(str(values.delete)!, libraryTrashFallback(engine.library.root))
    io.stdout.write(`Moved to ${engine.library.root}/.trash\n`)
    return EXIT.ok
  }
  const sort = str(values.sort)
  if (sort && !['newest', 'oldest', 'prompt', 'model', 'size'].includes(sort)) throw new UsageError('--sort is one of newest, oldest, prompt, model, size.')
  const page = engine.library.list({
    search: str(values.search) ?? (positionals.join(' ') || undefined),
    model: strs(values.model).length ? strs(values.model) : undefined,
    favorite: values.favorite ? true : undefined,
    sort: sort as 'newest' | undefined,
    limit: intArg(values.limit, 'limit') ?? 100
  })
  if (values.json) {
    printJson(io, { total: page.total, items: page.items.map((i) => itemJson(engine, i)) })
    return EXIT.ok
  }
  if (!page.items.length) io.stdout.write(`No videos${values.search ? ' match' : ' yet'}. Library: ${engine.library.root}\n`)
  for (const i of page.items) io.stdout.write(`${new Date(i.completedAt).toISOString().slice(0, 16)}  ${i.model.padEnd(22)} ${engine.library.absolutePath(i)}\n`)
  if (page.total > page.items.length) io.stdout.write(`… and ${page.total - page.items.length} more\n`)
  return EXIT.ok
}

export async function rescanCommand(engine: Engine, io: CliIo, argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } })
  const report = await engine.library.rescan()
  if (values.json) printJson(io, report)
  else {
    io.stdout.write(`Rescanned ${engine.library.root}: ${report.added} added, ${report.updated} updated, ${report.removed} removed.\n`)
    for (const s of report.skipped) io.stderr.write(`skipped ${s.file}: ${s.reason}\n`)
  }
  return EXIT.ok
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString('utf8')
}

export async function keyCommand(secrets: SecretStore, io: CliIo, argv: string[], net: { baseUrl: string; transport?: HttpTransport }): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } })
  const action = positionals[0]
  try {
    if (action === 'set') {
      if (positionals.length > 1) throw new UsageError('The key is read from standard input, never from the command line (it would stay in your shell history). Example: comet-video key set < key.txt')
      if (io.stdin.isTTY) io.stderr.write('Paste your CometAPI key and press Enter, then Ctrl-D:\n')
      // Checked against the API first, as the app does: a mistyped or revoked key is not stored.
      const result = await checkAndStoreKey(await readStdin(io.stdin), secrets, { baseUrl: net.baseUrl, transport: net.transport ?? nodeHttpTransport, clock: systemClock, logger: silentLogger })
      if (values.json) printJson(io, { ...result.status, ok: result.ok, verified: result.verified, message: result.message, refusal: result.refusal ?? null })
      else {
        ;(result.ok ? io.stdout : io.stderr).write(`${result.message}\n`)
        const r = result.refusal
        if (r) io.stderr.write(`CometAPI answered: ${[r.httpStatus ? `HTTP ${r.httpStatus}` : '', r.serverMessage ? `“${r.serverMessage}”` : '', r.requestId ? `request id ${r.requestId}` : ''].filter(Boolean).join(', ')}\n`)
      }
      return result.ok ? EXIT.ok : EXIT.auth
    }
    if (action === 'clear') {
      const status = await secrets.clearKey()
      if (values.json) printJson(io, status)
      else io.stdout.write(status.set ? `Key removed from the keychain, but COMETAPI_KEY is still set (…${status.last4}).\n` : 'Key removed.\n')
      return EXIT.ok
    }
    if (action === 'status' || !action) {
      const status = await secrets.status()
      if (values.json) printJson(io, status)
      else {
        io.stdout.write(status.set ? `Key set (…${status.last4}), kept in ${KEY_STORAGE_WORDS[status.source ?? 'keychain']}.\n` : 'No key set. Run: comet-video key set < key.txt (or set COMETAPI_KEY).\n')
        if (status.storage) io.stdout.write(`A new key would be kept in ${KEY_STORAGE_WORDS[status.storage]}.\n`)
        if (status.problem) io.stdout.write(`Note: ${status.problem}\n`)
      }
      return status.set ? EXIT.ok : EXIT.auth
    }
    throw new UsageError('key needs set, status or clear.')
  } catch (err) {
    if (err instanceof SecretStoreError) {
      io.stderr.write(`${err.message}\n`)
      return EXIT.auth
    }
    throw err
  }
}
