// The library's actions on many videos, export and "Save a copy as…": main acts only on videos
// inside the library, writes only where its own dialog pointed, and never overwrites a file.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/app/dispatch'
import { createHandlers, type Handlers } from '../../src/app/handlers'
import { exportNames, freeStem } from '../../src/app/libraryExport'
import { Studio } from '../../src/app/studio'
import { SIDECAR_FORMAT } from '../../src/core/library/sidecar'
import { SecretStore } from '../../src/core/secrets/secretStore'
import { FIXTURES } from '../engine/harness'

const logger = { log: () => {} }
const VIDEO = readFileSync(join(FIXTURES, 'videos/sample.mp4'))

describe('export names', () => {
  it('adds " (2)", " (3)"… until video, sidecar and poster are all free, ignoring case', () => {
    expect(freeStem('clip', () => false)).toBe('clip')
    expect(freeStem('clip', (s) => ['clip', 'clip (2)'].includes(s))).toBe('clip (3)')
    expect(exportNames('clip.mp4', '.jpg', new Set())).toEqual({ video: 'clip.mp4', sidecar: 'clip.json', poster: 'clip.jpg' })
    // Only the sidecar's name is taken: the video moves on too, so the three keep one stem.
    expect(exportNames('sub/Clip.mp4', null, new Set(['clip.json']))).toEqual({ video: 'Clip (2).mp4', sidecar: 'Clip (2).json', poster: null })
    expect(exportNames('clip.mp4', '.jpg', new Set(['clip.mp4', 'clip (2).jpg']))).toEqual({ video: 'clip (3).mp4', sidecar: 'clip (3).json', poster: 'clip (3).jpg' })
  })
})

describe('library actions on many videos', () => {
  let data: string
  let root: string
  let studio: Studio
  let handlers: Handlers
  const shell = { trashed: [] as string[], opened: [] as string[], folder: null as string | null, save: null as string | null, saveAsked: [] as string[] }
  const call = (channel: string, payload: unknown) => dispatch(handlers, channel, payload, logger)

  beforeAll(() => {
    data = mkdtempSync(join(tmpdir(), 'cvs-bulk-'))
    root = join(data, 'library')
    studio = new Studio({
      dataDir: data,
      defaultLibraryDir: root,
      secrets: new SecretStore({ envKey: 'sk-test-good', backends: [] }),
      version: '0.0.0-test',
      platform: 'linux',
      systemLocale: 'en-US',
      logger,
      pushIntervalMs: 50,
      engine: { settingsOverrides: { baseUrl: 'http://127.0.0.1:9' } },
      shell: {
        openPath: async (p) => {
          shell.opened.push(p)
          return true
        },
        showItemInFolder: () => {},
        trashItem: async (p) => {
          shell.trashed.push(p)
          rmSync(p)
        },
        chooseFolder: async () => shell.folder,
        chooseSaveFile: async (name) => {
          shell.saveAsked.push(name)
          return shell.save
        },
        openExternal: async () => {},
        notify: () => {}
      }
    })
    handlers = createHandlers(studio)
  })
  afterAll(async () => {
    await studio.stop()
    rmSync(data, { recursive: true, force: true })
  })

  /** Three videos with sidecars (one with a poster), and one sidecar naming a file outside the library. */
  async function plant(): Promise<void> {
    rmSync(root, { recursive: true, force: true })
    mkdirSync(join(root, '.posters'), { recursive: true })
    writeFileSync(join(data, 'secret.mp4'), 'not yours')
    symlinkSync(join(data, 'secret.mp4'), join(root, 'escape.mp4'))
    for (const [id, file, prompt, images] of [
      ['a', 'alpha.mp4', 'first', ['/Users/me/beach.png']],
      ['b', 'beta.mp4', 'second', []],
      ['c', 'gamma.mp4', 'third', []],
      ['x', 'escape.mp4', 'planted', []]
    ] as const) {
      if (id !== 'x') writeFileSync(join(root, file), VIDEO)
      writeFileSync(join(root, file.replace('.mp4', '.json')), JSON.stringify({
        format: SIDECAR_FORMAT, version: 1, id, jobId: `job-${id}`, file, bytes: VIDEO.length, container: 'mp4', model: 'sora-2',
        provider: 'openai-videos', prompt, sourceImages: images, createdAt: 1, completedAt: id.charCodeAt(0), poster: id === 'a' ? '.posters/a.jpg' : null
      }))
    }
    writeFileSync(join(root, '.posters', 'a.jpg'), 'poster bytes')
    expect((await call('library.rescan', {})).ok).toBe(true)
    shell.trashed.length = 0
    shell.opened.length = 0
  }
  beforeEach(plant)

  it('lists the ids of a query in its order, from an offset, for selecting cards not loaded', async () => {
    expect(await call('library.ids', { sort: 'oldest' })).toEqual({ ok: true, value: ['a', 'b', 'c', 'x'] })
    expect(await call('library.ids', { sort: 'oldest', offset: 1, limit: 2 })).toEqual({ ok: true, value: ['b', 'c'] })
    expect(await call('library.ids', { search: 'beach' })).toEqual({ ok: true, value: ['a'] })
  })

  it('favourites and tags many at once, in the sidecars too', async () => {
    expect(await call('library.favoriteMany', { ids: ['a', 'b', 'nope'], favorite: true })).toEqual({ ok: true, value: 2 })
    expect(await call('library.tagMany', { ids: ['a', 'c'], add: ['keeper'] })).toEqual({ ok: true, value: 2 })
    expect(JSON.parse(readFileSync(join(root, 'beta.json'), 'utf8')).favorite).toBe(true)
    expect(JSON.parse(readFileSync(join(root, 'gamma.json'), 'utf8')).tags).toEqual(['keeper'])
    expect(await call('library.ids', { favorite: true, sort: 'oldest' })).toEqual({ ok: true, value: ['a', 'b'] })
    expect(await call('library.tagMany', { ids: ['a'], add: [''] })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
  })

  it('deletes many to the OS trash: each video and its sidecar, nothing outside the library', async () => {
    const r = await call('library.deleteMany', { ids: ['a', 'c', 'x', 'nope'] })
    expect(r).toMatchObject({ ok: true, value: { deleted: 3, failed: [] } })
    // The planted item's "video" is a link leading out: the link goes, its target stays. A poster goes
    // to the trash too (through the same checks), never unlinked in place.
    expect(shell.trashed.sort()).toEqual([join(root, 'alpha.json'), join(root, 'alpha.mp4'), join(root, '.posters', 'a.jpg'), join(root, 'escape.json'), join(root, 'escape.mp4'), join(root, 'gamma.json'), join(root, 'gamma.mp4')].sort())
    expect(readFileSync(join(data, 'secret.mp4'), 'utf8')).toBe('not yours')
    expect(await call('library.ids', {})).toEqual({ ok: true, value: ['b'] })
  })

  it('exports only to a folder its own dialog returned, never overwriting, reporting what failed', async () => {
    const out = join(data, `out-${Date.now()}`)
    mkdirSync(out)
    writeFileSync(join(out, 'alpha.mp4'), 'already here')
    // The page cannot name a folder, and a closed dialog copies nothing.
    expect(await call('library.export', { ids: ['a'], to: out })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    shell.folder = null
    expect(await call('library.export', { ids: ['a'] })).toEqual({ ok: true, value: null })
    // Not into the library itself, nor a folder inside it.
    for (const inside of [root, join(root, '.posters')]) {
      shell.folder = inside
      expect(await call('library.export', { ids: ['a'] })).toMatchObject({ ok: false, error: { messageCode: 'ui.exportInsideLibrary' } })
    }
    expect(readdirSync(root).filter((n) => n.includes('(2)'))).toEqual([])
    shell.folder = out
    const r = await call('library.export', { ids: ['a', 'b', 'x'] })
    expect(r).toEqual({ ok: true, value: { folder: out, copied: 2, failed: [{ id: 'x', name: 'escape.mp4', code: 'notLibraryVideo', detail: '' }] } })
    expect(readdirSync(out).sort()).toEqual(['alpha (2).json', 'alpha (2).jpg', 'alpha (2).mp4', 'alpha.mp4', 'beta.json', 'beta.mp4'].sort())
    expect(readFileSync(join(out, 'alpha.mp4'), 'utf8')).toBe('already here')
    expect(readFileSync(join(out, 'alpha (2).mp4')).equals(VIDEO)).toBe(true)
    expect(readFileSync(join(out, 'alpha (2).jpg'), 'utf8')).toBe('poster bytes')
    expect(JSON.parse(readFileSync(join(out, 'alpha (2).json'), 'utf8'))).toMatchObject({ id: 'a', file: 'alpha (2).mp4', poster: null, prompt: 'first' })
    // Again: everything gets the next free name.
    expect(await call('library.export', { ids: ['b'] })).toMatchObject({ ok: true, value: { copied: 1, failed: [] } })
    expect(existsSync(join(out, 'beta (2).mp4'))).toBe(true)
  })

  it('saves a copy only where the save dialog pointed, outside the library', async () => {
    shell.save = null
    expect(await call('library.saveCopy', { id: 'b' })).toEqual({ ok: true, value: null })
    expect(shell.saveAsked).toEqual(['beta.mp4'])
    expect(await call('library.saveCopy', { id: 'b', to: join(data, 'x.mp4') })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    shell.save = join(root, 'alpha.mp4')
    expect(await call('library.saveCopy', { id: 'b' })).toMatchObject({ ok: false, error: { messageCode: 'ui.saveInsideLibrary' } })
    expect(readFileSync(join(root, 'alpha.mp4')).equals(VIDEO)).toBe(true)
    shell.save = join(data, 'mine.mp4')
    expect(await call('library.saveCopy', { id: 'x' })).toMatchObject({ ok: false, error: { messageCode: 'ui.notLibraryVideo' } })
    expect(await call('library.saveCopy', { id: 'b' })).toEqual({ ok: true, value: join(data, 'mine.mp4') })
    expect(readFileSync(join(data, 'mine.mp4')).equals(VIDEO)).toBe(true)
    // A file already there is never replaced, and a library folder named "..something" is still the library.
    writeFileSync(join(data, 'taken.mp4'), 'mine, keep it')
    shell.save = join(data, 'taken.mp4')
    expect(await call('library.saveCopy', { id: 'b' })).toMatchObject({ ok: false, error: { messageCode: 'ui.saveExists' } })
    expect(readFileSync(join(data, 'taken.mp4'), 'utf8')).toBe('mine, keep it')
    mkdirSync(join(root, '..exports'), { recursive: true })
    shell.save = join(root, '..exports', 'copy.mp4')
    expect(await call('library.saveCopy', { id: 'b' })).toMatchObject({ ok: false, error: { messageCode: 'ui.saveInsideLibrary' } })
  })

  it('opens the library folder itself, and says so when it is gone', async () => {
    expect(await call('library.openFolder', {})).toEqual({ ok: true, value: true })
    expect(shell.opened).toEqual([root])
    rmSync(root, { recursive: true, force: true })
    expect(await call('library.openFolder', {})).toMatchObject({ ok: false, error: { messageCode: 'ui.libraryFolderGone' } })
  })
})
