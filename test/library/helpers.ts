// Shared set-up for the library tests: a temp library folder, a database and a fake clock.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase, type Db } from '../../src/core/db/database'
import { Library, type FinalizeInput } from '../../src/core/library/library'
import type { Clock, TimerHandle } from '../../src/core/ports'

export interface Fixture {
  dir: string
  root: string
  dbPath: string
  db: Db
  clock: Clock & { t: number }
  lib: Library
  reopen(fresh?: boolean): void
  cleanup(): void
}

export function fixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'cvs-lib-'))
  const root = join(dir, 'Library')
  mkdirSync(root, { recursive: true })
  const clock = {
    t: new Date(2026, 10, 24, 14, 32).getTime(),
    now(): number {
      return this.t
    },
    setTimeout: (): TimerHandle => ({}) as TimerHandle,
    clearTimeout: (): void => {}
  }
  const dbPath = join(dir, 'studio.db')
  const f: Fixture = {
    dir,
    root,
    dbPath,
    db: openDatabase(dbPath),
    clock,
    lib: null as unknown as Library,
    reopen(fresh = false) {
      f.db.close()
      if (fresh) for (const ext of ['', '-wal', '-shm']) rmSync(dbPath + ext, { force: true })
      f.db = openDatabase(dbPath)
      f.lib = new Library(f.db, root, clock)
    },
    cleanup() {
      f.db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  f.lib = new Library(f.db, root, clock)
  return f
}

/** Bytes that look like an MP4. */
export function mp4Bytes(size: number, seed = 0): Buffer {
  const b = Buffer.alloc(size, seed & 0xff)
  b.writeUInt32BE(0x18, 0)
  b.write('ftypisom', 4, 'latin1')
  return b
}

/** Puts a "downloaded" file in `.partial/` and returns a finalize input for it. */
export function downloaded(f: Fixture, jobId: string, over: Partial<FinalizeInput> & { prompt?: string; model?: string; size?: number } = {}): FinalizeInput {
  const size = over.size ?? 1000
  const partialPath = join(f.root, '.partial', `${jobId}.part`)
  mkdirSync(join(f.root, '.partial'), { recursive: true })
  writeFileSync(partialPath, mp4Bytes(size))
  writeFileSync(`${partialPath}.meta.json`, '{}')
  const { prompt, model, size: _size, ...rest } = over
  return {
    jobId,
    partialPath,
    spec: { model: model ?? 'sora-2', prompt: prompt ?? 'A paper airplane glides over the city', seconds: 8, size: '1280x720' },
    provider: 'openai-videos',
    vendor: 'OpenAI',
    remoteId: `video_${jobId}`,
    createdAt: f.clock.t - 60_000,
    container: 'mp4',
    bytes: size,
    ...rest
  }
}
