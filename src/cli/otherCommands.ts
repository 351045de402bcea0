// comet-video library | rescan
import type { Engine } from '../core/engine'
import { libraryTrashFallback } from '../core/library/library'
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
