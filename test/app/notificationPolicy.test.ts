// The notification policy: engine events in, OS notices out — one per batch, decisions and holds
// gathered per batch, nothing while the window is focused or the setting is off, never old news.
import { describe, expect, it } from 'vitest'
import type { EngineEvent, JobView } from '../../src/shared/jobs'
import type { JobState } from '../../src/shared/jobStates'
import { batchOutcome, NotificationPolicy, type NoticeContext } from '../../src/app/notificationPolicy'
import { jobView } from '../helpers/jobView'

const EN: NoticeContext = { enabled: true, focused: false, lang: 'en' }
const ZH: NoticeContext = { enabled: true, focused: false, lang: 'zh-CN' }

/** A tiny job store the policy reads batches from, and the events an engine would emit. */
function world() {
  const jobs = new Map<string, JobView>()
  const policy = new NotificationPolicy({ jobsOfBatch: (b) => [...jobs.values()].filter((j) => j.batchId === b) }, { quietMs: 1000, maxWaitMs: 5000 })
  let now = 1_000_000
  const emit = (e: EngineEvent): void => policy.observe(e, now)
  return {
    jobs,
    policy,
    at: (t: number) => (now = t),
    get now() {
      return now
    },
    create(id: string, patch: Partial<JobView> = {}): JobView {
      const j = jobView(id, now, patch)
      jobs.set(id, j)
      emit({ type: 'job.created', job: j })
      return j
    },
    move(id: string, state: JobState, patch: Partial<JobView> = {}): void {
      const j = { ...jobs.get(id)!, state, ...patch }
      jobs.set(id, j)
      emit({ type: 'job.updated', job: j })
    },
    remove(id: string): void {
      jobs.delete(id)
      emit({ type: 'job.removed', id })
    }
  }
}

describe('notification policy', () => {
  it('says a batch once, when its last job lands: "10 videos ready, 2 failed", and points at the batch', () => {
    const w = world()
    for (let i = 0; i < 12; i++) w.create(`j${i}`, { batchId: 'b1' })
    for (let i = 0; i < 12; i++) w.move(`j${i}`, 'running')
    for (let i = 0; i < 11; i++) w.move(`j${i}`, i < 10 ? 'completed' : 'failed')
    // Eleven settled, one still running: nothing yet, however long we wait.
    w.at(w.now + 60_000)
    expect(w.policy.due(w.now, EN)).toEqual([])
    w.move('j11', 'failed')
    expect(w.policy.due(w.now, EN)).toEqual([]) // the quiet time first
    w.at(w.now + 1000)
    expect(w.policy.due(w.now, EN)).toEqual([{ kind: 'finished', title: 'Batch finished', body: '10 videos ready, 2 failed', target: { to: 'queue', batchId: 'b1' } }])
    expect(w.policy.nextDueAt()).toBeNull()
    // Said once: nothing more for it.
    w.at(w.now + 10_000)
    expect(w.policy.due(w.now, EN)).toEqual([])
  })

  it('speaks 简体中文 when the language says so', () => {
    const w = world()
    for (const id of ['a', 'b', 'c']) w.create(id, { batchId: 'b2', state: 'queued' })
    w.move('a', 'completed')
    w.move('b', 'completed')
    w.move('c', 'needs_decision')
    w.at(w.now + 1000)
    const [n] = w.policy.due(w.now, ZH)
    expect(n).toMatchObject({ kind: 'finished', title: '批量任务已结束', body: '2 个视频已就绪，1 个需要你决定', target: { to: 'queue', batchId: 'b2' } })
  })

  it('a job alone is a batch of one: "Video ready — model" with its prompt, pointing at the job', () => {
    const w = world()
    w.create('solo', { model: 'kling-v3', spec: { model: 'kling-v3', prompt: '  a   lighthouse at dusk  ' } })
    w.move('solo', 'downloading')
    w.move('solo', 'completed')
    w.at(w.now + 1000)
    expect(w.policy.due(w.now, EN)).toEqual([{ kind: 'finished', title: 'Video ready — kling-v3', body: 'a lighthouse at dusk', target: { to: 'queue', jobId: 'solo' } }])
    w.create('bad', { spec: { model: 'sora-2', prompt: 'x'.repeat(200) } })
    w.move('bad', 'failed')
    w.at(w.now + 1000)
    const [failed] = w.policy.due(w.now, ZH)
    expect(failed.title).toBe('视频生成失败 — sora-2')
    expect(failed.body).toHaveLength(80)
    expect(failed.body.endsWith('…')).toBe(true)
  })

  it('gathers decisions of one batch into one notice while the batch still works, pointing at its undecided jobs', () => {
    const w = world()
    for (let i = 0; i < 5; i++) w.create(`d${i}`, { batchId: 'b3', state: 'queued' })
    w.move('d0', 'needs_decision')
    w.at(w.now + 400)
    w.move('d1', 'lost_contact')
    w.at(w.now + 400)
    w.move('d2', 'needs_decision')
    w.at(w.now + 900) // quiet for less than a second since the last
    expect(w.policy.due(w.now, EN)).toEqual([])
    w.at(w.now + 100)
    expect(w.policy.due(w.now, EN)).toEqual([
      { kind: 'decisions', title: '3 videos need your decision', body: 'Open the queue to choose what happens next.', target: { to: 'queue', batchId: 'b3', filter: 'attention' } }
    ])
  })

  it('a steady stream still speaks once the longest wait is over', () => {
    const w = world()
    for (let i = 0; i < 30; i++) w.create(`s${i}`, { batchId: 'b4' })
    const start = w.now
    for (let i = 0; i < 20; i++) {
      w.at(start + i * 500)
      w.move(`s${i}`, 'needs_decision')
    }
    // Every 500 ms a new one: the quiet time never passes, the 5 s cap does.
    expect(w.policy.nextDueAt()).toBe(start + 5000)
    w.at(start + 5000)
    expect(w.policy.due(w.now, EN)).toHaveLength(1)
  })

  it('a batch that ends in decisions says so in its own notice, not twice', () => {
    const w = world()
    w.create('e0', { batchId: 'b5' })
    w.create('e1', { batchId: 'b5' })
    w.move('e0', 'needs_decision')
    w.move('e1', 'completed')
    w.at(w.now + 2000)
    const out = w.policy.due(w.now, EN)
    expect(out).toEqual([{ kind: 'finished', title: 'Batch finished', body: '1 video ready, 1 needs your decision', target: { to: 'queue', batchId: 'b5' } }])
  })

  it('a single job needing a decision points at its details', () => {
    const w = world()
    w.create('one')
    w.move('one', 'submitting')
    w.move('one', 'needs_decision')
    w.at(w.now + 1000)
    expect(w.policy.due(w.now, EN)).toEqual([{ kind: 'decisions', title: 'A video needs your decision — sora-2', body: 'prompt one', target: { to: 'queue', jobId: 'one' } }])
  })

  it('says once when a create is held at the daily cap, pointing at the held jobs', () => {
    const w = world()
    for (let i = 0; i < 12; i++) w.create(`h${i}`, { batchId: 'b6', state: 'held' })
    w.create('hsolo', { state: 'held' })
    w.at(w.now + 1000)
    const out = w.policy.due(w.now, EN)
    expect(out).toEqual([
      { kind: 'held', title: 'Spending held at your daily cap', body: '12 videos wait for your OK before they are sent.', target: { to: 'queue', batchId: 'b6', filter: 'attention' } },
      { kind: 'held', title: 'Spending held at your daily cap', body: 'A video waits for your OK before it is sent.', target: { to: 'queue', jobId: 'hsolo' } }
    ])
    const zh = world()
    zh.create('z', { state: 'held' })
    zh.at(zh.now + 1000)
    expect(zh.policy.due(zh.now, ZH)[0]).toMatchObject({ title: '已按每日花费上限暂停发送', body: '1 个视频等你确认后才会发送。' })
  })

  it('says nothing of a hold the person answered at once, nor of a batch they end with Cancel', () => {
    const w = world()
    w.create('c0', { batchId: 'b7', state: 'held' })
    w.create('c1', { batchId: 'b7', state: 'held' })
    w.move('c0', 'queued') // confirmed
    w.move('c1', 'canceled')
    w.move('c0', 'running')
    w.move('c0', 'canceled')
    w.at(w.now + 10_000)
    expect(w.policy.due(w.now, EN)).toEqual([])
  })

  it('never repeats old news: only jobs seen working in this run count', () => {
    const w = world()
    // Jobs that were already finished (or waiting) when the app started, touched again by the person.
    const old = jobView('old', 1, { state: 'needs_decision', batchId: 'b8' })
    w.jobs.set('old', old)
    w.move('old', 'failed') // dismissed
    // A job working at start (primed), then landing, is news.
    const working = jobView('w', 1, { state: 'running' })
    w.jobs.set('w', working)
    w.policy.prime([working, old])
    w.move('w', 'completed')
    w.at(w.now + 1000)
    expect(w.policy.due(w.now, EN).map((n) => n.target)).toEqual([{ to: 'queue', jobId: 'w' }])
  })

  it('progress notes of a working job say nothing; a removed job is forgotten', () => {
    const w = world()
    w.create('p', { batchId: 'b9' })
    w.create('q', { batchId: 'b9' })
    for (let i = 0; i < 5; i++) w.move('p', 'running', { progress: i * 20 })
    w.remove('q')
    expect(w.policy.nextDueAt()).toBeNull()
    w.move('p', 'completed')
    w.at(w.now + 1000)
    // q is gone from the store: the batch is p alone.
    expect(w.policy.due(w.now, EN)[0]).toMatchObject({ title: 'Video ready — sora-2' })
  })

  it('drops notices while the window is focused, and when notifications are off (not saved for later)', () => {
    for (const ctx of [{ ...EN, focused: true }, { ...EN, enabled: false }]) {
      const w = world()
      w.create('f')
      w.move('f', 'completed')
      w.at(w.now + 1000)
      expect(w.policy.due(w.now, ctx)).toEqual([])
      expect(w.policy.due(w.now + 10_000, EN)).toEqual([])
    }
  })

  it('counts a batch as it ended: a failed job replaced by its retry counts once, as its retry', () => {
    const jobs = [
      jobView('a', 1, { batchId: 'b', state: 'failed' }),
      jobView('a2', 2, { batchId: 'b', state: 'completed', lineage: 'retry', parentId: 'a' }),
      jobView('c', 3, { batchId: 'b', state: 'canceled' }),
      jobView('d', 4, { batchId: 'b', state: 'download_failed' }),
      jobView('e', 5, { batchId: 'b', state: 'held' })
    ]
    expect(batchOutcome(jobs)).toEqual({ total: 4, ready: 1, failed: 1, waiting: 1, canceled: 1 })
  })
})
