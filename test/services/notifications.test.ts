// OS notifications end to end: real jobs through the engine and the fake CometAPI, the studio's
// notification policy, and a click that asks the page to show the right screen.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { EventChannel } from '../../src/shared/ipc/contract'
import type { JobSpec } from '../../src/shared/jobs'
import { Studio } from '../../src/app/studio'
import { SecretStore } from '../../src/core/secrets/secretStore'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { until } from '../engine/harness'

const spec = (prompt: string): JobSpec => ({ model: 'sora-2', prompt, seconds: 4, size: '1280x720' })

describe('notifications from the studio', () => {
  let fake: FakeCometApi
  let studio: Studio
  let data: string
  let focused = false
  const shown: { title: string; body: string; click: () => void }[] = []
  const pushes: { event: EventChannel; payload: unknown }[] = []

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 250 } })
    data = mkdtempSync(join(tmpdir(), 'cvs-notify-'))
    studio = new Studio({
      dataDir: data,
      defaultLibraryDir: join(data, 'library'),
      secrets: new SecretStore({ envKey: 'sk-test-good', backends: [] }),
      version: '0.0.0-test',
      platform: 'linux',
      systemLocale: 'en-US',
      posterFrames: null,
      pushIntervalMs: 50,
      notificationTiming: { quietMs: 150, maxWaitMs: 1000 },
      engine: { settingsOverrides: { baseUrl: fake.url }, timing: { priorSeconds: () => 0.25, poll: { minIntervalMs: 100, maxIntervalMs: 400 }, waitScale: 0.1 } },
      shell: {
        openPath: async () => true,
        showItemInFolder: () => {},
        trashItem: async () => {},
        chooseFolder: async () => null,
        chooseSaveFile: async () => null,
        openExternal: async () => {},
        notify: (title, body, click) => void shown.push({ title, body, click }),
        isWindowFocused: () => focused
      }
    })
    studio.onPush((event, payload) => void pushes.push({ event, payload }))
    studio.start()
  })
  afterAll(async () => {
    await studio.stop()
    await fake.close()
    rmSync(data, { recursive: true, force: true })
  })
  beforeEach(() => {
    shown.length = 0
    pushes.length = 0
    focused = false
    studio.engine.updateSettings({ notifications: true, language: 'en', dailyBudget: null })
  })

  const create = async (...prompts: string[]): Promise<{ ids: string[]; batchId: string | null }> => {
    const r = await studio.engine.createJobs({ specs: prompts.map(spec) })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    return { ids: r.jobs.map((j) => j.id), batchId: r.jobs[0].batchId }
  }
  const finish = (ids: string[]) => studio.engine.waitFor(ids, { signal: AbortSignal.timeout(20_000) })
  /** Waits past the policy's quiet time so anything due has been said. */
  const quiet = () => new Promise((r) => setTimeout(r, 600))

  it('says a batch once when it ends, and a click shows the queue filtered to it', async () => {
    const { ids, batchId } = await create('one', 'two', 'three [fail]', 'four')
    expect(batchId).toEqual(expect.any(String))
    const jobs = await finish(ids)
    expect(jobs.map((j) => j.state).sort()).toEqual(['completed', 'completed', 'completed', 'failed'])
    await until(() => shown.length > 0)
    await quiet()
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([{ title: 'Batch finished', body: '3 videos ready, 1 failed' }])
    shown[0].click()
    expect(pushes.filter((p) => p.event === 'app.navigate').map((p) => p.payload)).toEqual([{ to: 'queue', batchId }])
  })

  it('a single video says "Video ready" in the language of the setting, pointing at the job', async () => {
    studio.engine.updateSettings({ language: 'zh-CN' })
    const { ids } = await create('just one')
    await finish(ids)
    await until(() => shown.length > 0)
    await quiet()
    expect(shown.map((n) => n.title)).toEqual(['视频已就绪 — sora-2'])
    expect(shown[0].body).toBe('just one')
    shown[0].click()
    expect(pushes.filter((p) => p.event === 'app.navigate').map((p) => p.payload)).toEqual([{ to: 'queue', jobId: ids[0] }])
  })

  it('says once when spending is held at the daily cap, and the click shows the held jobs', async () => {
    studio.engine.updateSettings({ dailyBudget: 0.01 })
    const { ids, batchId } = await create('over the cap a', 'over the cap b')
    expect(ids.map((id) => studio.engine.getJob(id)?.state)).toEqual(['held', 'held'])
    await until(() => shown.length > 0)
    await quiet()
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([{ title: 'Spending held at your daily cap', body: '2 videos wait for your OK before they are sent.' }])
    shown[0].click()
    expect(pushes.filter((p) => p.event === 'app.navigate').map((p) => p.payload)).toEqual([{ to: 'queue', batchId, filter: 'attention' }])
    studio.engine.cancelMany(ids)
  })

  it('stays quiet while the person is looking at the window, and when notifications are off', async () => {
    focused = true
    const a = await create('seen on screen')
    await finish(a.ids)
    await quiet()
    focused = false
    studio.engine.updateSettings({ notifications: false })
    const b = await create('notifications off')
    await finish(b.ids)
    await quiet()
    expect(shown).toEqual([])
    expect(fake.createCountsByPrompt().get('notifications off')).toBe(1) // the jobs really ran
  })
})
