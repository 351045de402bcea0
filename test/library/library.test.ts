import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Library, LibraryError, libraryTrashFallback } from '../../src/core/library/library'
import { sidecarPathFor, toSidecar } from '../../src/core/library/sidecar'
import type { LibraryItem } from '../../src/shared/library'
import { downloaded, fixture, mp4Bytes, type Fixture } from './helpers'

let f: Fixture
beforeEach(() => {
  f = fixture()
})
afterEach(() => {
  f.cleanup()
})

function sidecarOf(item: LibraryItem): Record<string, unknown> {
  return JSON.parse(readFileSync(sidecarPathFor(f.lib.absolutePath(item)), 'utf8')) as Record<string, unknown>
}

describe('finalize', () => {
  it('moves the download into the library, writes the sidecar and indexes it', () => {
    const input = downloaded(f, 'job-0001', {
      spec: { model: 'sora-2', prompt: 'A paper airplane', negativePrompt: 'blur', seconds: 8, images: ['/Users/me/Secret Folder/first.png', 'C:\\Users\\me\\last.jpg'], params: { style: 'x' } },
      estimatedCost: 0.4,
      parentId: 'item-parent',
      lineage: 'retry'
    })
    const item = f.lib.finalize(input)
    expect(item.fileName).toBe('2026-11-24 1432 sora-2 a-paper-airplane-0001.mp4')
    expect(existsSync(input.partialPath)).toBe(false)
    expect(existsSync(`${input.partialPath}.meta.json`)).toBe(false)
    expect(statSync(join(f.root, item.fileName)).size).toBe(1000)
    expect(item).toMatchObject({
      jobId: 'job-0001', bytes: 1000, container: 'mp4', model: 'sora-2', provider: 'openai-videos', vendor: 'OpenAI',
      prompt: 'A paper airplane', negativePrompt: 'blur', params: { seconds: 8, params: { style: 'x' } },
      sourceImages: ['first.png', 'last.jpg'], remoteId: 'video_job-0001', estimatedCost: 0.4, parentId: 'item-parent',
      lineage: 'retry', completedAt: f.clock.t, favorite: false, tags: []
    })
    const sc = sidecarOf(item)
    expect(sc).toMatchObject({ format: 'comet-video-studio/sidecar', version: 1, id: item.id, file: item.fileName, jobId: 'job-0001' })
    const text = JSON.stringify(sc)
    expect(text).not.toMatch(/Users|Secret|https?:|sk-/)
    expect(f.lib.get(item.id)).toEqual(item)
    expect(f.lib.getByJob('job-0001')).toEqual(item)
    expect(f.lib.stats()).toEqual({ count: 1, bytes: 1000 })
    expect(f.lib.verify(item.id)).toEqual({ ok: true })
  })

  it('uses a reserved name and is idempotent when called again', () => {
    const name = f.lib.reserveName('job-0002', { completedAt: f.clock.t, model: 'sora-2', prompt: 'Reserved', container: 'mp4' })
    expect(f.lib.reserveName('job-0002', { completedAt: 0, model: 'x', prompt: 'other', container: 'mp4' })).toBe(name)
    expect(f.lib.reservedName('job-0002')).toBe(name)
    const input = { ...downloaded(f, 'job-0002'), fileName: name }
    const a = f.lib.finalize(input)
    const b = f.lib.finalize(input)
    expect(a.fileName).toBe(name)
    expect(b).toEqual(a)
    expect(f.lib.stats().count).toBe(1)
    expect(f.lib.reservedName('job-0002')).toBe(name)
  })

  it('completes after a crash between the rename and the sidecar', () => {
    const input = downloaded(f, 'job-0003')
    const name = f.lib.reserveName('job-0003', { completedAt: f.clock.t, model: 'sora-2', prompt: 'x', container: 'mp4' })
    renameSync(input.partialPath, join(f.root, name)) // the crash happened right after this
    const item = f.lib.finalize({ ...input, fileName: name })
    expect(item.fileName).toBe(name)
    expect(existsSync(sidecarPathFor(join(f.root, name)))).toBe(true)
    expect(f.lib.list().total).toBe(1)
  })

  it('completes after a crash between the sidecar and the index, keeping the same id', () => {
    const input = downloaded(f, 'job-0004')
    const first = f.lib.finalize(input)
    f.db.prepare('DELETE FROM library_items').run() // as if the index write never happened
    const again = f.lib.finalize({ ...input, fileName: first.fileName })
    expect(again.id).toBe(first.id)
    expect(f.lib.list().total).toBe(1)
    expect(readdirSync(f.root).filter((n) => n.endsWith('.json'))).toHaveLength(1)
  })

  it('refuses a missing download and a size mismatch', () => {
    const input = downloaded(f, 'job-0005', { size: 500 })
    expect(() => f.lib.finalize({ ...input, bytes: 501 })).toThrow(LibraryError)
    rmSync(input.partialPath)
    expect(() => f.lib.finalize(input)).toThrow(/missing/)
    expect(f.lib.list().total).toBe(0)
  })

  it('refuses names outside the library or in its private folders', () => {
    const input = downloaded(f, 'job-0006')
    for (const fileName of ['../escape.mp4', '/abs.mp4', '.partial/x.mp4', '.trash/x.mp4']) {
      expect(() => f.lib.finalize({ ...input, fileName })).toThrow(LibraryError)
    }
  })

  it('gives two jobs with the same prompt in the same minute different names', () => {
    const a = f.lib.finalize(downloaded(f, 'aaaa-1111', { prompt: 'Same prompt' }))
    const b = f.lib.finalize(downloaded(f, 'bbbb-1111', { prompt: 'Same prompt' }))
    expect(a.fileName).toBe('2026-11-24 1432 sora-2 same-prompt-1111.mp4')
    expect(b.fileName).toBe('2026-11-24 1432 sora-2 same-prompt-1111 (2).mp4')
  })
})

describe('favorites, tags, delete', () => {
  it('persists favorite and tags in the sidecar', () => {
    const item = f.lib.finalize(downloaded(f, 'job-0010'))
    f.lib.setFavorite(item.id, true)
    const tagged = f.lib.setTags(item.id, ['  Client A ', 'client a', 'draft', '', '参考'])
    expect(tagged.tags).toEqual(['Client A', 'draft', '参考'])
    expect(sidecarOf(tagged)).toMatchObject({ favorite: true, tags: ['Client A', 'draft', '参考'] })
    expect(f.lib.get(item.id)).toMatchObject({ favorite: true, tags: ['Client A', 'draft', '参考'] })
    expect(() => f.lib.setFavorite('nope', true)).toThrow(LibraryError)
  })

  it('deletes through the injected trash function', async () => {
    const item = f.lib.finalize(downloaded(f, 'job-0011'))
    const trashed: string[] = []
    await f.lib.delete(item.id, async (p) => {
      trashed.push(p)
      rmSync(p)
    })
    expect(trashed).toEqual([join(f.root, item.fileName), sidecarPathFor(join(f.root, item.fileName))])
    expect(f.lib.get(item.id)).toBeNull()
    expect(readdirSync(f.root).filter((n) => !n.startsWith('.'))).toEqual([])
  })

  it('keeps the item when the trash refuses', async () => {
    const item = f.lib.finalize(downloaded(f, 'job-0012'))
    await expect(f.lib.delete(item.id, async () => Promise.reject(new Error('no trash')))).rejects.toThrow('no trash')
    expect(f.lib.get(item.id)).not.toBeNull()
  })

  it('the fallback trash moves files into .trash without overwriting', async () => {
    const trash = libraryTrashFallback(f.root)
    for (const id of ['job-0013', 'job-0014']) {
      const item = f.lib.finalize(downloaded(f, id, { prompt: 'same' }))
      await f.lib.delete(item.id, trash)
    }
    expect(readdirSync(join(f.root, '.trash')).sort()).toHaveLength(4)
    expect((await f.lib.rescan()).added).toBe(0)
  })
})

describe('verify', () => {
  it('notices a missing or truncated video', () => {
    const item = f.lib.finalize(downloaded(f, 'job-0020'))
    writeFileSync(f.lib.absolutePath(item), mp4Bytes(10))
    expect(f.lib.verify(item.id)).toMatchObject({ ok: false, problem: 'size' })
    rmSync(f.lib.absolutePath(item))
    expect(f.lib.verify(item.id)).toMatchObject({ ok: false, problem: 'missing' })
    expect(f.lib.verify('nope')).toMatchObject({ ok: false, problem: 'not_indexed' })
  })
})

describe('rescan', () => {
  function populate(): LibraryItem[] {
    const items: LibraryItem[] = []
    const prompts = ['A paper airplane glides', '一只纸飞机在黄昏时分飞过城市', 'Neon street in the rain', '猫在森林里奔跑']
    prompts.forEach((prompt, i) => {
      f.clock.t += 60_000
      const item = f.lib.finalize(downloaded(f, `job-r${i}`, { prompt, model: i % 2 ? 'kling-v2-1' : 'sora-2', size: 1000 + i }))
      items.push(item)
    })
    f.lib.setFavorite(items[1].id, true)
    items[1] = f.lib.setTags(items[1].id, ['keeper'])
    return items.map((i) => f.lib.get(i.id)!)
  }

  it('rebuilds identical items after the database is deleted', async () => {
    const before = populate()
    const page = f.lib.list({ sort: 'oldest' })
    f.reopen(true)
    expect(f.lib.list().total).toBe(0)
    const report = await f.lib.rescan()
    expect(report).toEqual({ added: 4, updated: 0, removed: 0, skipped: [] })
    for (const item of before) expect(f.lib.get(item.id)).toEqual(item)
    expect(f.lib.list({ sort: 'oldest' })).toEqual(page)
    expect(f.lib.list({ search: '飞机' }).items.map((i) => i.id)).toEqual([before[1].id])
    expect(f.lib.list({ tags: ['keeper'] }).total).toBe(1)
    expect(await f.lib.rescan()).toEqual({ added: 0, updated: 0, removed: 0, skipped: [] })
  })

  it('updates changed sidecars and removes items whose files are gone', async () => {
    const items = populate()
    const changed = { ...items[0], tags: ['edited-by-hand'] }
    writeFileSync(sidecarPathFor(f.lib.absolutePath(changed)), JSON.stringify(toSidecar(changed)))
    rmSync(sidecarPathFor(f.lib.absolutePath(items[2])))
    const report = await f.lib.rescan()
    expect(report).toMatchObject({ added: 0, updated: 1, removed: 1 })
    expect(f.lib.get(items[0].id)?.tags).toEqual(['edited-by-hand'])
    expect(f.lib.get(items[2].id)).toBeNull()
  })

  it('skips and reports corrupt sidecars and sidecars without a video, ignores foreign JSON', async () => {
    const items = populate()
    writeFileSync(join(f.root, 'broken.json'), '{"format":"comet-video-studio/sidecar","version":1,')
    writeFileSync(join(f.root, 'wrong.json'), JSON.stringify({ ...toSidecar(items[0]), id: 'other', jobId: 'j-other', bytes: -5 }))
    writeFileSync(join(f.root, 'future.json'), JSON.stringify({ format: 'comet-video-studio/sidecar', version: 99 }))
    writeFileSync(join(f.root, 'package.json'), JSON.stringify({ name: 'not ours' }))
    rmSync(f.lib.absolutePath(items[3]))
    f.reopen(true)
    const report = await f.lib.rescan()
    expect(report.added).toBe(3)
    const files = report.skipped.map((s) => s.file)
    expect(files).toContain('broken.json')
    expect(files).toContain('wrong.json')
    expect(files).toContain('future.json')
    expect(files).not.toContain('package.json')
    expect(report.skipped.find((s) => s.file === 'wrong.json')?.reason).toMatch(/bytes/)
    expect(report.skipped.some((s) => /missing/.test(s.reason))).toBe(true)
  })

  it('never indexes anything under .partial, .trash or .posters; finds items in subfolders', async () => {
    const [item] = populate()
    const sc = toSidecar(item)
    for (const hidden of ['.partial', '.trash', '.posters']) {
      mkdirSync(join(f.root, hidden), { recursive: true })
      writeFileSync(join(f.root, hidden, 'x.mp4'), mp4Bytes(100))
      writeFileSync(join(f.root, hidden, 'x.json'), JSON.stringify({ ...sc, id: `in${hidden}`, jobId: `j${hidden}`, file: 'x.mp4' }))
    }
    mkdirSync(join(f.root, 'Projects', 'Client A'), { recursive: true })
    writeFileSync(join(f.root, 'Projects', 'Client A', 'moved.mp4'), mp4Bytes(100))
    writeFileSync(join(f.root, 'Projects', 'Client A', 'moved.json'), JSON.stringify({ ...sc, id: 'moved', jobId: 'j-moved', file: 'moved.mp4', bytes: 100 }))
    const report = await f.lib.rescan()
    expect(report.skipped).toEqual([])
    expect(f.lib.list().items.map((i) => i.id)).not.toContain('in.partial')
    expect(f.lib.get('moved')?.fileName).toBe('Projects/Client A/moved.mp4')
    expect(f.lib.verify('moved')).toEqual({ ok: true })
    expect(f.lib.list().total).toBe(5)
  })

  it('reports a copied sidecar (same id) once', async () => {
    const [item] = populate()
    const dest = join(f.root, 'copy of video.mp4')
    writeFileSync(dest, readFileSync(f.lib.absolutePath(item)))
    writeFileSync(join(f.root, 'copy of video.json'), JSON.stringify({ ...toSidecar(item), file: 'copy of video.mp4' }))
    const report = await f.lib.rescan()
    expect(report.skipped).toHaveLength(1)
    expect(report.skipped[0].reason).toMatch(/same video/)
  })

  it('a new Library on the same folder sees the same items', async () => {
    const items = populate()
    const other = new Library(f.db, f.root, f.clock)
    expect(other.list({ sort: 'oldest' }).items).toEqual(f.lib.list({ sort: 'oldest' }).items)
    expect(other.list().total).toBe(items.length)
  })
})
