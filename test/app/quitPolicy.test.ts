// How the app quits (src/app/quitPolicy.ts), with a stop the test finishes by hand: every quit
// during the stop is held, a second launch is not let in, and the update restart stops the engine
// and releases the single-instance lock before the installer starts.
import { describe, expect, it } from 'vitest'
import { QuitSequence, type QuitReason } from '../../src/app/quitPolicy'
import { UpdateController } from '../../src/app/updates'
import { FakeClock, flush } from '../helpers/fakeClock'
import { FakeDownloads, FakeUpdater } from '../helpers/fakeUpdater'

function setup() {
  const order: string[] = []
  const reasons: QuitReason[] = []
  let finish!: () => void
  let stops = 0
  const q = new QuitSequence({
    stop: () => {
      stops++
      order.push('stop')
      return new Promise<void>((resolve) => {
        finish = () => {
          order.push('stopped')
          resolve()
        }
      })
    },
    exit: () => void order.push('exit'),
    onQuitting: (reason) => void reasons.push(reason),
    releaseInstanceLock: () => void order.push('lock released')
  })
  return { q, order, reasons, finish: () => finish(), stops: () => stops }
}

describe('quitting', () => {
  it('before the studio exists there is nothing to stop: the quit goes through', () => {
    const t = setup()
    expect(t.q.beforeQuit(false)).toBe(false)
    expect(t.order).toEqual([])
  })

  it('holds every quit until the engine has stopped, stops it once, then exits and lets the next quit through', async () => {
    const t = setup()
    expect(t.q.beforeQuit(true)).toBe(true)
    expect(t.reasons).toEqual(['quit'])
    expect(t.q.quitting).toBe(true)
    // A second Cmd+Q, the tray's Quit, the OS asking: still prevented while the stop runs.
    expect(t.q.beforeQuit(true)).toBe(true)
    expect(t.q.beforeQuit(true)).toBe(true)
    expect(t.stops()).toBe(1)
    expect(t.order).toEqual(['stop'])
    t.finish()
    await flush()
    expect(t.order).toEqual(['stop', 'stopped', 'exit'])
    expect(t.q.stopped).toBe(true)
    expect(t.q.beforeQuit(true)).toBe(false)
    expect(t.reasons).toEqual(['quit'])
  })

  it('a second launch brings the window back, but not once a quit has begun', () => {
    const t = setup()
    expect(t.q.acceptsSecondInstance()).toBe(true)
    t.q.beforeQuit(true)
    expect(t.q.acceptsSecondInstance()).toBe(false)
  })
})

describe('the update restart', () => {
  async function readyController() {
    const clock = new FakeClock()
    const updater = new FakeUpdater('1.0.0', '1.1.0')
    const c = new UpdateController({ updater, currentVersion: '1.0.0', downloads: new FakeDownloads(), automatic: () => true, clock, logger: { log: () => {} } })
    await c.check('manual')
    updater.finishDownload()
    expect(c.state.phase).toBe('ready')
    return { c, updater }
  }

  it('stops the engine, then releases the single-instance lock, then starts the installer, whose quit goes through', async () => {
    const t = setup()
    const { c, updater } = await readyController()
    const quitAndInstall = updater.quitAndInstall.bind(updater)
    updater.quitAndInstall = () => {
      t.order.push(`quitAndInstall (quit let through: ${!t.q.beforeQuit(true)})`)
      quitAndInstall()
    }
    c.setInstallHook(async (go) => void (await t.q.forUpdate(go)))
    expect(c.restart('now')).toMatchObject({ restarting: true })
    await flush()
    expect(t.reasons).toEqual(['update'])
    // The stop is still under way: the installer has not been started, and a quit now is held.
    expect(updater.installs).toBe(0)
    expect(t.q.beforeQuit(true)).toBe(true)
    t.finish()
    await flush()
    expect(t.order).toEqual(['stop', 'stopped', 'lock released', 'quitAndInstall (quit let through: true)'])
    expect(updater.installs).toBe(1)
    // The ordinary quit's exit never ran: the installer's quit ends the app.
    expect(t.order).not.toContain('exit')
  })

  it('an installer that fails is reported to the caller; Restart again goes straight to the installer (the engine is stopped already)', async () => {
    const t = setup()
    const done = t.q.forUpdate(() => {
      throw new Error('Cannot install .deb package.')
    })
    t.finish()
    await expect(done).rejects.toThrow('Cannot install .deb package.')
    let installs = 0
    expect(await t.q.forUpdate(() => void installs++)).toBe(true)
    expect(installs).toBe(1)
    expect(t.stops()).toBe(1)
    expect(t.order).toEqual(['stop', 'stopped', 'lock released'])
  })

  it('an update restart asked for while a quit is already stopping the engine leaves it to that quit', async () => {
    const t = setup()
    t.q.beforeQuit(true)
    let installed = false
    expect(await Promise.race([t.q.forUpdate(() => (installed = true)), flush().then(() => 'pending')])).toBe(false)
    t.finish()
    await flush()
    expect(installed).toBe(false)
    expect(t.order).toEqual(['stop', 'stopped', 'exit'])
    expect(t.reasons).toEqual(['quit'])
  })
})
