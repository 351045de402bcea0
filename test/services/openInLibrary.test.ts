// "Open" and "Show in folder" hand a path to the OS, which runs what it is given with its default
// app: only a video inside the library folder may get there, whatever a job row or a sidecar says.
import Database from 'better-sqlite3'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/app/dispatch'
import { createHandlers, type Handlers, UserError } from '../../src/app/handlers'
import { Studio } from '../../src/app/studio'
import { SIDECAR_FORMAT } from '../../src/core/library/sidecar'
import { SecretStore } from '../../src/core/secrets/secretStore'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { FIXTURES } from '../engine/harness'

const logger = { log: () => {} }
const VIDEO = readFileSync(join(FIXTURES, 'videos/sample.mp4'))

describe('Open and Show in folder', () => {
  let fake: FakeCometApi
  let data: string
  let root: string
  let studio: Studio
  let handlers: Handlers
  const shell: string[] = []
  const call = (channel: string, payload: unknown) => dispatch(handlers, channel, payload, logger)

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 200 } })
    data = mkdtempSync(join(tmpdir(), 'cvs-open-'))
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
      engine: { settingsOverrides: { baseUrl: fake.url }, timing: { priorSeconds: () => 0.3, poll: { minIntervalMs: 100, maxIntervalMs: 400 }, waitScale: 0.1 } },
      shell: {
        openPath: async (p) => {
          shell.push(`open ${p}`)
          return true
        },
        showItemInFolder: (p) => void shell.push(`show ${p}`),
        trashItem: async (p) => void shell.push(`trash ${p}`),
        chooseFolder: async () => null,
        chooseSaveFile: async () => null,
        openExternal: async (u) => void shell.push(`external ${u}`),
        notify: () => {}
      }
    })
    handlers = createHandlers(studio)
    studio.start()
  })
  afterAll(async () => {
    await studio.stop()
    await fake.close()
    rmSync(data, { recursive: true, force: true })
  })

  /** Files a person (or malware) could have put in the library folder, each with a sidecar naming it. */
  function plant(): Record<string, string> {
    mkdirSync(join(root, '.partial'), { recursive: true })
    writeFileSync(join(root, 'run.sh'), '#!/bin/sh\necho owned\n')
    chmodSync(join(root, 'run.sh'), 0o755)
    writeFileSync(join(root, 'notes.txt'), 'not a video')
    writeFileSync(join(root, 'Setup.EXE'), 'MZ')
    writeFileSync(join(root, '.partial', 'half.mp4'), VIDEO.subarray(0, 100))
    writeFileSync(join(data, 'evil.sh'), '#!/bin/sh\necho owned\n')
    writeFileSync(join(data, 'outside.mp4'), VIDEO)
    mkdirSync(join(root, 'folder.mp4'))
    symlinkSync(join(root, 'run.sh'), join(root, 'link-run.mp4'))
    symlinkSync(join(root, '.partial', 'half.mp4'), join(root, 'link-partial.mp4'))
    symlinkSync(join(data, 'outside.mp4'), join(root, 'link-out.mp4'))
    writeFileSync(join(root, 'good.mp4'), VIDEO)
    const files: Record<string, string> = {
      run: 'run.sh', notes: 'notes.txt', exe: 'Setup.EXE', linkRun: 'link-run.mp4', linkPartial: 'link-partial.mp4', linkOut: 'link-out.mp4',
      sidecar: 'selfish.json', good: 'good.mp4'
    }
    writeFileSync(join(root, 'selfish.json'), '{}')
    for (const [id, file] of Object.entries(files)) {
      const sidecar = file === 'selfish.json' ? 'selfish.json' : `${file.replace(/\.[^.]+$/, '')}.json`
      writeFileSync(join(root, sidecar), JSON.stringify({
        format: SIDECAR_FORMAT, version: 1, id, jobId: `planted-${id}`, file, bytes: VIDEO.length, container: 'mp4',
        model: 'sora-2', provider: 'openai-videos', prompt: 'planted', createdAt: 1, completedAt: 2
      }))
    }
    return files
  }

  it('a hostile sidecar cannot make Open run a script, open a non-video, or leave the library', async () => {
    const files = plant()
    const rescan = await call('library.rescan', {})
    expect(rescan.ok).toBe(true)
    const indexed = new Set(studio.engine.library.list({}).items.map((i) => i.id))
    // The sidecars that name a script, a text file, a link or themselves are indexed as they stand today:
    expect([...indexed].sort()).toEqual(Object.keys(files).sort())
    shell.length = 0
    const answers: Record<string, unknown> = {}
    for (const id of Object.keys(files).filter((k) => k !== 'good')) {
      for (const channel of ['library.open', 'library.showInFolder'] as const) {
        const thrown: unknown = await handlers[channel]({ id }).then(() => 'done', (e: unknown) => e)
        answers[`${channel} ${id}`] = thrown instanceof UserError ? { code: thrown.code, messageCode: thrown.sentence.code } : String(thrown)
        const wire = await call(channel, { id })
        if (wire.ok || wire.error.messageCode !== 'ui.notLibraryVideo') answers[`wire ${channel} ${id}`] = wire
      }
    }
    expect(shell).toEqual([])
    for (const [what, answer] of Object.entries(answers)) {
      expect({ what, answer }).toEqual({ what, answer: { code: 'not_library_video', messageCode: 'ui.notLibraryVideo' } })
    }
    // The real video still opens, by its real path.
    expect(await call('library.open', { id: 'good' })).toMatchObject({ ok: true, value: true })
    expect(await call('library.showInFolder', { id: 'good' })).toMatchObject({ ok: true, value: true })
    expect(shell).toEqual([`open ${join(root, 'good.mp4')}`, `show ${join(root, 'good.mp4')}`])
  })

  it('a job row naming a file outside the library, a script or a download in flight is never opened', async () => {
    const created = await call('jobs.create', { specs: [{ model: 'kling-v2-6', prompt: 'open me', seconds: 5, aspectRatio: '16:9' }] })
    if (!created.ok) throw new Error(created.error.message)
    const id = (created.value as { jobs: { id: string }[] }).jobs[0].id
    await studio.engine.waitFor([id], { signal: AbortSignal.timeout(15_000) })
    expect(studio.engine.getJob(id)?.state).toBe('completed')
    shell.length = 0
    expect(await call('jobs.open', { id })).toMatchObject({ ok: true, value: true })
    expect(shell).toHaveLength(1)
    expect(shell[0]).toMatch(/^open .*\.mp4$/)

    const db = new Database(join(data, 'studio.db'))
    const refused: Record<string, unknown> = {}
    try {
      for (const name of ['../evil.sh', '../outside.mp4', 'run.sh', 'Setup.EXE', 'notes.txt', 'link-run.mp4', 'link-out.mp4', 'link-partial.mp4',
        `.partial/half.mp4`, '.partial', 'folder.mp4', 'selfish.json', `${data}/evil.sh`, '..\\evil.sh', 'good.mp4/../../evil.sh']) {
        db.prepare('UPDATE jobs SET file_name = ? WHERE id = ?').run(name, id)
        shell.length = 0
        for (const channel of ['jobs.open', 'jobs.showInFolder']) {
          const r = await call(channel, { id })
          if (r.ok || shell.length || !['ui.notLibraryVideo', 'ui.videoGone'].includes(String(r.error.messageCode)) || r.error.code === 'internal') {
            refused[`${channel} ${name}`] = r.ok ? [...shell] : r.error
          }
        }
      }
    } finally {
      db.close()
    }
    expect(refused).toEqual({})
  })
})
