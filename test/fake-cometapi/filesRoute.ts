// `GET /files/<name>?exp=…&sig=…`: the signed, expiring result URLs every family hands out.
import { existsSync } from 'node:fs'
import { contentTypeOf, isSafeName, safeFixturePath } from './files'
import type { Reply } from './reply'
import type { Ctx, Route } from './router'
import type { InternalTask } from './tasks'

// Storage backends answer in XML, not in CometAPI's JSON envelope.
export function storageError(status: number, code: string, message: string): Reply {
  return {
    type: 'text',
    status,
    contentType: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`
  }
}

const notFound = (): Reply => storageError(404, 'NoSuchKey', 'The specified key does not exist.')

function taskOf(ctx: Ctx): InternalTask | undefined {
  return ctx.state.tasks.get(ctx.params[0].replace(/\.(mp4|webm)$/, ''))
}

async function handle(ctx: Ctx): Promise<Reply> {
  const name = ctx.params[0]
  if (!isSafeName(name)) return notFound()
  const { searchParams } = ctx.url
  const verdict = ctx.state.files.verify(name, searchParams.get('exp'), searchParams.get('sig'), ctx.state.now())
  if (verdict !== 'ok') {
    const status = ctx.state.opts.expiredStatus
    return verdict === 'expired'
      ? storageError(status, 'AccessDenied', 'Request has expired')
      : storageError(status, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.')
  }
  const task = taskOf(ctx)
  if (task) {
    if (`${task.id}.${task.ext}` !== name || ctx.state.view(task).phase !== 'succeeded') return notFound()
    return { type: 'file', path: await ctx.state.videoPath(task), contentType: contentTypeOf(name) }
  }
  const fixture = safeFixturePath(name)
  return fixture && existsSync(fixture) ? { type: 'file', path: fixture, contentType: contentTypeOf(name) } : notFound()
}

export const filesRoute: Route = {
  methods: ['GET', 'HEAD'],
  pattern: /^\/files\/([^/]+)$/,
  family: null,
  auth: false,
  kind: 'file',
  familyOf: (ctx) => taskOf(ctx)?.family ?? null,
  describe: (ctx) => {
    const task = taskOf(ctx)
    return { taskId: task?.id ?? null, model: task?.model ?? null }
  },
  handle
}
