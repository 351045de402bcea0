// Moves the library folder's contents to a new folder without losing a video: rename when on the
// same disk, else copy + fsync + verify size + delete, one file at a time.
import { constants } from 'node:fs'
import { copyFile, mkdir, open, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { type Message, msg, SentenceError } from '../shared/messages'

export interface MoveResult {
  moved: number
  skipped: { file: string; reason: string }[]
}

export class MoveError extends SentenceError {
  constructor(sentence: Message) {
    super(sentence)
    this.name = 'MoveError'
  }
}

function inside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child))
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith('..') && !/^[a-zA-Z]:/.test(rel))
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
    return
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
  }
  // Another disk: copy, make it durable, check it, then remove the original.
  await copyFile(from, to, constants.COPYFILE_EXCL)
  const fh = await open(to, 'r+')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
  const [a, b] = await Promise.all([stat(from), stat(to)])
  if (a.size !== b.size) {
    await unlink(to).catch(() => {})
    throw new MoveError(msg('move.sizeDiffers', { file: from }))
  }
  await unlink(from)
}

/** Moves everything in `from` into `to` (created when missing). Never overwrites a file in `to`. */
export async function moveLibrary(from: string, to: string): Promise<MoveResult> {
  const src = resolve(from)
  const dst = resolve(to)
  if (src === dst) throw new MoveError(msg('move.same'))
  if (inside(src, dst)) throw new MoveError(msg('move.insideCurrent'))
  if (inside(dst, src)) throw new MoveError(msg('move.containsCurrent'))
  await mkdir(dst, { recursive: true })
  const result: MoveResult = { moved: 0, skipped: [] }
  const walk = async (rel: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(join(src, rel), { withFileTypes: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      throw err
    }
    for (const e of entries) {
      const r = rel ? join(rel, e.name) : e.name
      if (e.isDirectory()) {
        await mkdir(join(dst, r), { recursive: true })
        await walk(r)
        await rmdir(join(src, r)).catch(() => {})
      } else if (e.isFile()) {
        const target = join(dst, r)
        try {
          await stat(target)
          result.skipped.push({ file: r, reason: 'a file with that name is already in the new folder' })
          continue
        } catch {
          // Free: move it.
        }
        await moveFile(join(src, r), target)
        result.moved++
      }
    }
  }
  await walk('')
  return result
}
