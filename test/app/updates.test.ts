// The update controller (src/app/updates.ts) driven by a fake updater and a fake "videos being
// written" signal, on a fake clock: every path from check to restart.
import { describe, expect, it } from 'vitest'
import { UpdateController, updateFailure, type UpdateControllerOptions } from '../../src/app/updates'
import type { UpdateState } from '../../src/shared/updates'
import { FakeClock, flush } from '../helpers/fakeClock'
import { codedError, FakeDownloads, FakeUpdater } from '../helpers/fakeUpdater'

const FIRST = 10_000
const EVERY = 6 * 3600_000

function setup(o: { latest?: string; automatic?: boolean; updater?: FakeUpdater | null } = {}) {
  const clock = new FakeClock()
  const updater = o.updater === undefined ? new FakeUpdater('1.0.0', o.latest ?? '1.0.0') : o.updater
  const downloads = new FakeDownloads()
  const logs: string[] = []
  const settings = { automatic: o.automatic ?? true }
  const options: UpdateControllerOptions = {
    updater,
    currentVersion: '1.0.0',
    downloads,
    automatic: () => settings.automatic,
    clock,
    logger: { log: (level, message) => void logs.push(`${level} ${message}`) }
  }
  const c = new UpdateController(options)
  const pushed: UpdateState[] = []
  c.onChange((s) => pushed.push(s))
  return { c, clock, updater: updater as FakeUpdater, downloads, logs, settings, pushed }
}

/** Runs the controller up to a downloaded update (found by the automatic check on start). */
async function ready(t: ReturnType<typeof setup>): Promise<void> {
  t.c.start()
  await t.clock.advance(FIRST)
  t.updater.finishDownload()
  expect(t.c.state.phase).toBe('ready')
}

describe('the update controller', () => {
  it('checks once shortly after start, finds nothing newer, and says nothing', async () => {
    const t = setup()
    t.c.start()
    await t.clock.advance(FIRST - 1)
    expect(t.updater.checks).toBe(0) // start-up comes first
    await t.clock.advance(1)
    expect(t.updater.checks).toBe(1)
    expect(t.c.state).toMatchObject({ phase: 'upToDate', version: null, notice: false, failure: null, checkedAt: t.clock.now() })
    expect(t.updater.downloads).toBe(0)
    expect(t.pushed.map((s) => s.phase)).toEqual(['checking', 'upToDate'])
  })

  it('checks again now and then while the app keeps running', async () => {
    const t = setup()
    t.c.start()
    await t.clock.advance(FIRST)
    await t.clock.advance(EVERY)
    await t.clock.advance(EVERY)
    expect(t.updater.checks).toBe(3)
    t.c.stop()
    await t.clock.advance(EVERY * 3)
    expect(t.updater.checks).toBe(3)
    expect(t.clock.pending()).toBe(0)
  })

  it('downloads a newer version in the background with progress, then offers the restart that installs it', async () => {
    const t = setup({ latest: '1.1.0' })
    t.c.start()
    await t.clock.advance(FIRST)
    expect(t.updater.downloads).toBe(1)
    expect(t.c.state).toMatchObject({ phase: 'downloading', version: '1.1.0', progress: { percent: 0 }, notice: false })
    t.updater.progress(37.5)
    expect(t.c.state.progress).toMatchObject({ percent: 37.5, transferred: 30_000_000, total: 80_000_000 })
    t.updater.finishDownload()
    expect(t.c.state).toMatchObject({ phase: 'ready', version: '1.1.0', progress: null, notice: true })
    // Once ready, the automatic checks leave it alone.
    await t.clock.advance(EVERY)
    expect(t.updater.checks).toBe(1)
    expect(t.c.restart('ask')).toEqual({ restarting: true, waiting: false, downloadsWriting: 0 })
    expect(t.updater.installs).toBe(1)
    // A second press does not install twice.
    t.c.restart('ask')
    expect(t.updater.installs).toBe(1)
  })

  it('refuses to restart while a video download is being written, and restarts once none is', async () => {
    const t = setup({ latest: '1.1.0' })
    await ready(t)
    t.downloads.set(2)
    expect(t.c.state.downloadsWriting).toBe(2)
    expect(t.c.restart('ask')).toEqual({ restarting: false, waiting: false, downloadsWriting: 2 })
    expect(t.updater.installs).toBe(0)
    t.downloads.set(1)
    expect(t.c.restart('ask')).toMatchObject({ restarting: false, downloadsWriting: 1 })
    t.downloads.set(0)
    expect(t.updater.installs).toBe(0) // nobody asked to wait: nothing happens by itself
    expect(t.c.restart('ask')).toEqual({ restarting: true, waiting: false, downloadsWriting: 0 })
    expect(t.updater.installs).toBe(1)
  })

  it('restarts while downloads are written when the person agrees (they resume after the update)', async () => {
    const t = setup({ latest: '1.1.0' })
    await ready(t)
    t.downloads.set(3)
    expect(t.c.restart('ask')).toMatchObject({ restarting: false, downloadsWriting: 3 })
    expect(t.c.restart('now')).toEqual({ restarting: true, waiting: false, downloadsWriting: 3 })
    expect(t.updater.installs).toBe(1)
  })

  it('"restart when the downloads finish" waits for the last one, also when another starts as one ends', async () => {
    const t = setup({ latest: '1.1.0' })
    await ready(t)
    t.downloads.set(2)
    expect(t.c.restart('whenDownloadsFinish')).toEqual({ restarting: false, waiting: true, downloadsWriting: 2 })
    expect(t.c.state.restartWhenIdle).toBe(true)
    t.downloads.set(1)
    await flush()
    expect(t.updater.installs).toBe(0)
    // One ends and the next queued one starts at once: still writing, no restart.
    t.downloads.set(0)
    t.downloads.set(1)
    await flush()
    expect(t.updater.installs).toBe(0)
    t.downloads.set(0)
    await flush()
    expect(t.updater.installs).toBe(1)
    expect(t.c.state.restartWhenIdle).toBe(false)
  })

  it('a waiting restart can be called off', async () => {
    const t = setup({ latest: '1.1.0' })
    await ready(t)
    t.downloads.set(1)
    t.c.restart('whenDownloadsFinish')
    t.c.restart('cancel')
    expect(t.c.state.restartWhenIdle).toBe(false)
    t.downloads.set(0)
    await flush()
    expect(t.updater.installs).toBe(0)
  })

  it('a restart with nothing downloaded does nothing', async () => {
    const t = setup()
    expect(t.c.restart('now')).toEqual({ restarting: false, waiting: false, downloadsWriting: 0 })
    expect(t.updater.installs).toBe(0)
  })

  it('says why the first failed automatic check failed, once, and stays quiet about the next ones that session', async () => {
    const t = setup()
    t.updater.checkError = codedError('getaddrinfo ENOTFOUND github.com', 'ENOTFOUND')
    t.c.start()
    await t.clock.advance(FIRST)
    expect(t.c.state).toMatchObject({
      phase: 'failed',
      notice: true,
      failure: { stage: 'check', code: 'update.offline', params: { detail: 'ENOTFOUND' }, message: 'The update server could not be reached (ENOTFOUND). Check your network connection and proxy.' }
    })
    // electron-updater reports a failed check as an event and a rejection: it counts once.
    expect(t.logs.filter((l) => l.startsWith('warn updates: check failed'))).toHaveLength(1)
    t.c.dismiss()
    expect(t.c.state.notice).toBe(false)
    await t.clock.advance(EVERY)
    expect(t.updater.checks).toBe(2)
    expect(t.c.state).toMatchObject({ phase: 'failed', notice: false })
    expect(t.pushed.filter((s) => s.notice && s.phase === 'failed')).toHaveLength(1)
    // An on-demand check still reports.
    await t.c.check('manual')
    expect(t.c.state).toMatchObject({ phase: 'failed', notice: true, failure: { code: 'update.offline' } })
  })

  it('a later automatic check that succeeds is shown when its download is ready', async () => {
    const t = setup()
    t.updater.checkError = codedError('connect ECONNREFUSED 127.0.0.1:443', 'ECONNREFUSED')
    t.c.start()
    await t.clock.advance(FIRST)
    t.c.dismiss()
    t.updater.checkError = null
    t.updater.latest = '1.2.0'
    await t.clock.advance(EVERY)
    expect(t.c.state).toMatchObject({ phase: 'downloading', failure: null, notice: false })
    t.updater.finishDownload()
    expect(t.c.state).toMatchObject({ phase: 'ready', version: '1.2.0', notice: true })
  })

  it('a failed download says why and the next check tries again', async () => {
    const t = setup({ latest: '1.1.0' })
    t.c.start()
    await t.clock.advance(FIRST)
    t.updater.progress(20)
    t.updater.failDownload(codedError('sha512 checksum mismatch, expected abc, got def', 'ERR_CHECKSUM_MISMATCH'))
    await flush()
    expect(t.c.state).toMatchObject({ phase: 'failed', progress: null, notice: true, failure: { stage: 'download', code: 'update.checksum' } })
    await t.c.check('manual')
    expect(t.updater.downloads).toBe(2)
    expect(t.c.state.phase).toBe('downloading')
  })

  it('never checks by itself when the setting is off; an on-demand check still finds, downloads and reports', async () => {
    const t = setup({ latest: '1.1.0', automatic: false })
    t.c.start()
    await t.clock.advance(FIRST + EVERY * 4)
    expect(t.updater.checks).toBe(0)
    expect(t.c.state.phase).toBe('idle')
    const after = await t.c.check('manual')
    expect(after).toMatchObject({ phase: 'downloading', version: '1.1.0', notice: true })
    t.updater.finishDownload()
    expect(t.c.state).toMatchObject({ phase: 'ready', notice: true })
  })

  it('an on-demand check that finds nothing says so (automatic ones do not)', async () => {
    const t = setup({ automatic: false })
    expect(await t.c.check('manual')).toMatchObject({ phase: 'upToDate', notice: true })
    t.c.dismiss()
    t.settings.automatic = true
    t.c.start()
    await t.clock.advance(FIRST)
    expect(t.updater.checks).toBe(2)
    expect(t.c.state).toMatchObject({ phase: 'upToDate', notice: false })
  })

  it('the setting is read at each planned check: turned off mid-session, the next one is skipped', async () => {
    const t = setup()
    t.c.start()
    await t.clock.advance(FIRST)
    t.settings.automatic = false
    await t.clock.advance(EVERY * 2)
    expect(t.updater.checks).toBe(1)
    t.settings.automatic = true
    await t.clock.advance(EVERY)
    expect(t.updater.checks).toBe(2)
  })

  it('an on-demand check joining an automatic one under way reports its outcome, also after an earlier automatic failure', async () => {
    const t = setup()
    t.updater.checkError = codedError('HttpError: 503 Service Unavailable', 'HTTP_ERROR_503', { statusCode: 503 })
    await t.c.check('automatic')
    t.c.dismiss()
    const automatic = t.c.check('automatic') // under way…
    expect(t.c.state.phase).toBe('checking')
    const manual = t.c.check('manual') // …and the person asks too
    await Promise.all([automatic, manual])
    expect(t.updater.checks).toBe(2)
    expect(t.c.state).toMatchObject({ phase: 'failed', notice: true, failure: { code: 'update.server', params: { status: 503 } } })
  })

  it('a check while a download is under way or ready does not start another', async () => {
    const t = setup({ latest: '1.1.0' })
    t.c.start()
    await t.clock.advance(FIRST)
    await t.c.check('manual')
    expect([t.updater.checks, t.updater.downloads]).toEqual([1, 1])
    expect(t.c.state.notice).toBe(true)
    t.updater.finishDownload()
    t.c.dismiss()
    expect(await t.c.check('manual')).toMatchObject({ phase: 'ready', notice: true })
    expect(t.updater.checks).toBe(1)
  })

  it('an install that fails keeps the download and says why', async () => {
    const t = setup({ latest: '1.1.0' })
    await ready(t)
    t.c.dismiss()
    t.updater.installError = new Error('Neither dpkg nor apt command found. Cannot install .deb package.')
    expect(t.c.restart('ask')).toMatchObject({ restarting: false })
    expect(t.c.state).toMatchObject({ phase: 'ready', notice: true, failure: { stage: 'install', code: 'update.other', params: { detail: 'Neither dpkg nor apt command found. Cannot install .deb package.' } } })
    t.updater.installError = null
    expect(t.c.restart('ask')).toMatchObject({ restarting: true })
    expect(t.updater.installs).toBe(1)
  })

  it('an error after the download is ready (Squirrel.Mac refusing an unsigned app) is shown as an install failure, and Restart does not hang', async () => {
    const t = setup({ latest: '1.1.0' })
    await ready(t)
    t.c.dismiss()
    t.updater.errorAfterDownload(new Error('Code signature at URL file:///Applications/Comet.app/ did not pass validation'))
    expect(t.c.state).toMatchObject({ phase: 'ready', notice: true, failure: { stage: 'install', code: 'update.unsigned' } })
    // Restart is tried; the app does not quit (the updater never takes over): after a while Restart works again.
    expect(t.c.restart('now')).toMatchObject({ restarting: true })
    expect(t.updater.installs).toBe(1)
    expect(t.c.restart('now')).toMatchObject({ restarting: true }) // already installing: not asked twice
    expect(t.updater.installs).toBe(1)
    await t.clock.advance(30_000)
    expect(t.c.state).toMatchObject({ phase: 'ready', notice: true, failure: { stage: 'install', code: 'update.installStalled' } })
    expect(t.c.restart('now')).toMatchObject({ restarting: true })
    expect(t.updater.installs).toBe(2)
  })

  it('with an install hook, the updater is told to install only once the hook has done its part (the engine stopped)', async () => {
    const t = setup({ latest: '1.1.0' })
    await ready(t)
    const order: string[] = []
    let stopped!: () => void
    t.c.setInstallHook(async (quitAndInstall) => {
      order.push('stop')
      await new Promise<void>((resolve) => (stopped = resolve))
      order.push('stopped')
      quitAndInstall()
      order.push(`installs ${t.updater.installs}`)
    })
    expect(t.c.restart('now')).toMatchObject({ restarting: true })
    await flush()
    expect(order).toEqual(['stop'])
    expect(t.updater.installs).toBe(0)
    stopped()
    await flush()
    expect(order).toEqual(['stop', 'stopped', 'installs 1'])
  })

  it('a hook that fails is an install failure: the download stays, Restart can be tried again', async () => {
    const t = setup({ latest: '1.1.0' })
    await ready(t)
    t.c.setInstallHook(() => Promise.reject(new Error('the engine would not stop')))
    t.c.restart('now')
    await flush()
    expect(t.c.state).toMatchObject({ phase: 'ready', failure: { stage: 'install', params: { detail: 'the engine would not stop' } } })
    expect(t.updater.installs).toBe(0)
  })

  it('in development and unpackaged runs: no checks, and an on-demand one says updates come with the installed app', async () => {
    const t = setup({ updater: null })
    expect(t.c.state.phase).toBe('unsupported')
    t.c.start()
    expect(t.clock.pending()).toBe(0)
    expect(await t.c.check('manual')).toMatchObject({ phase: 'unsupported', notice: true })
    expect(t.c.restart('now')).toMatchObject({ restarting: false })
  })

  it('an updater that is not active for this install (electron-updater answers null) is reported as such', async () => {
    const updater = new FakeUpdater('1.0.0', '2.0.0')
    updater.active = false
    const t = setup({ updater })
    expect(await t.c.check('manual')).toMatchObject({ phase: 'unsupported', notice: true })
    expect(updater.downloads).toBe(0)
  })
})

describe('why an update failed, in a plain sentence', () => {
  it('names the kind of problem from electron-updater’s codes, HTTP statuses and Node’s errno', () => {
    const cases: [unknown, string, Record<string, string | number>][] = [
      [codedError('Cannot find channel "latest-linux.yml" update info: HttpError: 404', 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND'), 'update.noFeed', {}],
      [codedError('Unable to find latest version on GitHub', 'ERR_UPDATER_LATEST_VERSION_NOT_FOUND'), 'update.noFeed', {}],
      [codedError('Cannot parse update info from latest-linux.yml', 'ERR_UPDATER_INVALID_UPDATE_INFO'), 'update.badFeed', {}],
      [codedError('sha512 checksum mismatch', 'ERR_CHECKSUM_MISMATCH'), 'update.checksum', {}],
      [codedError('New version 1.1.0 is not signed by the application owner', 'ERR_UPDATER_INVALID_SIGNATURE'), 'update.signature', {}],
      [new Error('Could not get code signature for running application'), 'update.unsigned', {}],
      [codedError('ENOSPC: no space left on device, write', 'ENOSPC'), 'update.disk', {}],
      [new Error('net::ERR_INTERNET_DISCONNECTED'), 'update.offline', { detail: 'ERR_INTERNET_DISCONNECTED' }],
      [codedError('HttpError: 403 Forbidden\n"method: GET url: https://github.com/…"', 'HTTP_ERROR_403', { statusCode: 403 }), 'update.server', { status: 403 }],
      [new Error('something odd\nat stack line'), 'update.other', { detail: 'something odd' }],
      ['a string thrown', 'update.other', { detail: 'a string thrown' }]
    ]
    for (const [err, code, params] of cases) expect(updateFailure('check', err)).toMatchObject({ stage: 'check', code, params })
  })
})
