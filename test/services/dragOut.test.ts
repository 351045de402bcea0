// Drag-out: the page names a finished video by its job or library item; main finds the file under
// the same rule as Open and Show in folder (a video inside the library, symlinks resolved) and its
// poster for the drag image. Nothing the page sends is a path.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkSend } from '../../src/app/dispatch'
import { dragFileFor, type DragSources } from '../../src/app/dragOut'
import { Studio } from '../../src/app/studio'
import { SecretStore } from '../../src/core/secrets/secretStore'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { FIXTURES } from '../engine/harness'
import { solidPng } from '../helpers/png'

const VIDEO = readFileSync(join(FIXTURES, 'videos/sample.mp4'))
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('what a drag-out hands the OS', () => {
  const data = mkdtempSync(join(tmpdir(), 'cvs-drag-'))
  dirs.push(data)
  const root = join(data, 'library')
  mkdirSync(join(root, '.posters'), { recursive: true })
  mkdirSync(join(root, '.partial'), { recursive: true })
  writeFileSync(join(root, 'clip.mp4'), VIDEO)
  writeFileSync(join(root, '.posters', 'clip.jpg'), solidPng(16, 9, [1, 2, 3]))
  writeFileSync(join(root, '.partial', 'half.mp4'), VIDEO)
  writeFileSync(join(root, 'notes.txt'), 'hello')
  writeFileSync(join(data, 'outside.mp4'), VIDEO)
  symlinkSync(join(data, 'outside.mp4'), join(root, 'link-out.mp4'))
  symlinkSync(join(data, 'outside.mp4'), join(root, '.posters', 'evil.jpg'))
  const real = (p: string): string => realpathSync(p)

  const items: Record<string, { fileName: string; poster: string | null }> = {
    good: { fileName: 'clip.mp4', poster: '.posters/clip.jpg' },
    noPoster: { fileName: 'clip.mp4', poster: null },
    badPoster: { fileName: 'clip.mp4', poster: '.posters/evil.jpg' },
    linkOut: { fileName: 'link-out.mp4', poster: null },
    partial: { fileName: '.partial/half.mp4', poster: null },
    notVideo: { fileName: 'notes.txt', poster: null },
    gone: { fileName: 'missing.mp4', poster: null }
  }
  const jobs: Record<string, { file: string | null; libraryItemId: string | null }> = {
    done: { file: join(root, 'clip.mp4'), libraryItemId: 'good' },
    running: { file: null, libraryItemId: null },
    escaped: { file: join(data, 'outside.mp4'), libraryItemId: null },
    traversal: { file: join(root, '..', 'outside.mp4'), libraryItemId: null }
  }
  const sources: DragSources = { libraryRoot: () => root, job: (id) => jobs[id] ?? null, item: (id) => items[id] ?? null }

  it('gives a library video with its poster, by job or by library item', async () => {
    expect(await dragFileFor(sources, { jobId: 'done' })).toEqual({ file: real(join(root, 'clip.mp4')), icon: real(join(root, '.posters/clip.jpg')) })
    expect(await dragFileFor(sources, { itemId: 'good' })).toEqual({ file: real(join(root, 'clip.mp4')), icon: real(join(root, '.posters/clip.jpg')) })
  })

  it('has no icon when there is no poster, or the poster is not one the library may serve (the shell shows the app icon)', async () => {
    expect(await dragFileFor(sources, { itemId: 'noPoster' })).toEqual({ file: real(join(root, 'clip.mp4')), icon: null })
    expect(await dragFileFor(sources, { itemId: 'badPoster' })).toEqual({ file: real(join(root, 'clip.mp4')), icon: null })
  })

  it('refuses anything that is not a finished video inside the library', async () => {
    for (const ref of [{ jobId: 'running' }, { jobId: 'escaped' }, { jobId: 'traversal' }, { jobId: 'unknown' }]) expect(await dragFileFor(sources, ref), JSON.stringify(ref)).toBeNull()
    for (const id of ['linkOut', 'partial', 'notVideo', 'gone', 'unknown']) expect(await dragFileFor(sources, { itemId: id }), id).toBeNull()
  })

  it('takes only an id from the page: a path, extra fields or odd shapes are dropped', () => {
    expect(checkSend('drag.start', { jobId: 'j-1' })).toEqual({ jobId: 'j-1' })
    expect(checkSend('drag.start', { itemId: 'li_2' })).toEqual({ itemId: 'li_2' })
    for (const bad of [{ file: '/etc/passwd' }, { jobId: '../../etc/passwd' }, { jobId: 'a', file: '/x' }, { jobId: 'a', itemId: 'b' }, 'j-1', null, [{ jobId: 'a' }], { jobId: 5 }]) {
      expect(checkSend('drag.start', bad), JSON.stringify(bad)).toBeNull()
    }
    expect(checkSend('nope' as 'drag.start', { jobId: 'a' })).toBeNull()
  })
})

describe('drag-out through the studio, for a job the engine finished', () => {
  let fake: FakeCometApi
  let studio: Studio
  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 200 } })
    const data = mkdtempSync(join(tmpdir(), 'cvs-drag-studio-'))
    dirs.push(data)
    studio = new Studio({
      dataDir: data,
      defaultLibraryDir: join(data, 'library'),
      secrets: new SecretStore({ envKey: 'sk-test-good', backends: [] }),
      version: '0.0.0-test',
      platform: 'linux',
      systemLocale: 'en-US',
      posterFrames: null,
      pushIntervalMs: 50,
      engine: { settingsOverrides: { baseUrl: fake.url }, timing: { priorSeconds: () => 0.3, poll: { minIntervalMs: 100, maxIntervalMs: 400 }, waitScale: 0.1 } },
      shell: { openPath: async () => true, showItemInFolder: () => {}, trashItem: async () => {}, chooseFolder: async () => null, chooseSaveFile: async () => null, openExternal: async () => {}, notify: () => {} }
    })
    studio.start()
  })
  afterAll(async () => {
    await studio.stop()
    await fake.close()
  })

  it('drags the landed video, then with the poster once it has one', async () => {
    const r = await studio.engine.createJobs({ specs: [{ model: 'sora-2', prompt: 'drag me out', seconds: 4, size: '1280x720' }] })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const id = r.jobs[0].id
    expect(await studio.dragFile({ jobId: id })).toBeNull() // not made yet
    const [job] = await studio.engine.waitFor([id], { signal: AbortSignal.timeout(20_000) })
    expect(job.state).toBe('completed')
    const first = await studio.dragFile({ jobId: id })
    expect(first).toEqual({ file: realpathSync(job.file!), icon: null })
    await studio.savePoster(job.libraryItemId!, solidPng(32, 18, [200, 10, 10]))
    const withPoster = await studio.dragFile({ itemId: job.libraryItemId! })
    expect(withPoster?.file).toBe(realpathSync(job.file!))
    expect(withPoster?.icon).toMatch(/[\\/]\.posters[\\/].+\.(jpg|png)$/)
    expect(readFileSync(withPoster!.icon!).subarray(1, 4).toString('latin1')).toBe('PNG')
  })
})
