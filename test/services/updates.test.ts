// Updates through the app's services: the IPC channels, the pushes, the setting, and the engine's
// "a video is being written" signal from a real download (the fake CometAPI serving it slowly).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UpdateState } from '../../src/shared/updates'
import { SecretStore } from '../../src/core/secrets/secretStore'
import { dispatch } from '../../src/app/dispatch'
import { createHandlers, type Handlers } from '../../src/app/handlers'
import { Studio } from '../../src/app/studio'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { FakeUpdater } from '../helpers/fakeUpdater'
import { KEY, sora } from '../engine/harness'

const logger = { log: () => {} }

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('updates over the contract', () => {
  let fake: FakeCometApi
  let studio: Studio
  let handlers: Handlers
  let dir: string
  const updater = new FakeUpdater('0.1.0', '0.2.0')
  const pushed: UpdateState[] = []

  beforeAll(async () => {
    // 800 kB at 200 kB/s: the video is being written for about four seconds.
    fake = await startFakeCometApi({ durations: { '*': 300 }, videoBytes: { '*': 800_000 }, fileBytesPerSecond: 200_000 })
    dir = mkdtempSync(join(tmpdir(), 'cvs-updates-'))
    studio = new Studio({
      dataDir: dir,
      defaultLibraryDir: join(dir, 'library'),
      secrets: new SecretStore({ envKey: KEY, backends: [] }),
      version: '0.1.0',
      platform: 'linux',
      systemLocale: 'en-US',
      logger,
      posterFrames: null,
      updater,
      updateTiming: { firstCheckDelayMs: 50 },
      engine: { settingsOverrides: { baseUrl: fake.url }, timing: { priorSeconds: () => 0.3, poll: { minIntervalMs: 100, maxIntervalMs: 500 }, waitScale: 0.1 } },
      shell: {
        openPath: async () => true,
        showItemInFolder: () => {},
        trashItem: async () => {},
        chooseFolder: async () => null,
        chooseSaveFile: async () => null,
        openExternal: async () => {},
        notify: () => {}
      }
    })
    studio.onPush((event, payload) => {
      if (event === 'updates.changed') pushed.push(payload as UpdateState)
    })
    handlers = createHandlers(studio)
    studio.start()
  })
  afterAll(async () => {
    await studio.stop()
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const call = async (channel: string, payload: unknown): Promise<unknown> => {
    const r = await dispatch(handlers, channel, payload, logger)
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
    return r.value
  }

  it('checks on start (the setting is on by default) and pushes each step to the renderer', async () => {
    expect(studio.engine.settings.autoUpdate).toBe(true)
    await until('the automatic check', () => updater.downloading)
    updater.progress(50)
    updater.finishDownload()
    expect(pushed.map((s) => [s.phase, s.progress?.percent ?? null])).toEqual([['checking', null], ['downloading', 0], ['downloading', 50], ['downloading', 100], ['ready', null]])
    expect(pushed.at(-1)).toMatchObject({ phase: 'ready', version: '0.2.0', notice: true })
    expect(await call('updates.state', {})).toMatchObject({ phase: 'ready', version: '0.2.0' })
  })

  it('holds the restart while a video is being written, asks with the count, and restarts once it is in the library', async () => {
    const r = await studio.engine.createJobs({ specs: [sora('a slow download')] })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const id = r.jobs[0].id
    await until('the download to be written', () => studio.engine.downloadsWriting() === 1)
    expect(studio.engine.getJob(id)?.state).toBe('downloading')
    expect(pushed.at(-1)?.downloadsWriting).toBe(1)

    expect(await call('updates.restart', { mode: 'ask' })).toEqual({ restarting: false, waiting: false, downloadsWriting: 1 })
    expect(updater.installs).toBe(0)
    expect(await call('updates.restart', { mode: 'whenDownloadsFinish' })).toEqual({ restarting: false, waiting: true, downloadsWriting: 1 })
    expect(studio.updates.state.restartWhenIdle).toBe(true)

    await until('the restart', () => updater.installs === 1)
    // It restarted only after the video was whole in the library.
    const job = studio.engine.getJob(id)!
    expect(job.state).toBe('completed')
    expect(statSync(job.file!).size).toBe(800_000)
    expect(studio.engine.downloadsWriting()).toBe(0)
  })

  it('refuses a restart mode it does not know', async () => {
    const r = await dispatch(handlers, 'updates.restart', { mode: 'later' }, logger)
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'mode' } })
  })

  it('the setting turns automatic checks off and is kept; an on-demand check over the contract still runs', async () => {
    expect(await call('settings.update', { autoUpdate: false })).toMatchObject({ autoUpdate: false })
    expect(await call('settings.get', {})).toMatchObject({ autoUpdate: false })
    const r = await dispatch(handlers, 'settings.update', { autoUpdate: 'no' }, logger)
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'autoUpdate' } })
    const before = updater.checks
    expect(await call('updates.check', {})).toMatchObject({ phase: 'ready', notice: true }) // already downloaded: shown, not fetched again
    expect(updater.checks).toBe(before)
    expect(await call('updates.dismiss', {})).toMatchObject({ notice: false })
  })
})
