// The lifecycle table is the one place that decides job transitions: these tests read the money
// rules straight off it, and check that the hub refuses a move the table does not allow.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/core/db/database'
import { JobHub } from '../../src/core/jobs/jobHub'
import { JobStore } from '../../src/core/jobs/jobStore'
import { allows, type JobEvent, nextState, TRANSITIONS } from '../../src/core/jobs/lifecycle'
import { silentLogger } from '../../src/core/ports'
import type { EngineEvent } from '../../src/shared/jobs'
import { CANCELABLE_STATES, JOB_STATES, type JobState, POLLED_STATES, RETRYABLE_STATES, TERMINAL_STATES } from '../../src/shared/jobStates'
import { FakeClock } from '../helpers/fakeClock'

const events = Object.keys(TRANSITIONS) as JobEvent[]
const leadingTo = (to: JobState, from: JobState): JobEvent[] => events.filter((e) => allows(e, from) && nextState(e, from) === to)

describe('the transitions table', () => {
  it('names only real states', () => {
    for (const e of events) {
      for (const s of TRANSITIONS[e].from) expect(JOB_STATES).toContain(s)
      if (TRANSITIONS[e].to) expect(JOB_STATES).toContain(TRANSITIONS[e].to)
    }
  })

  it('a sent task ends as failed only by the provider saying so', () => {
    for (const s of POLLED_STATES) expect(leadingTo('failed', s)).toEqual(['poll.failed'])
  })

  it('a made video is never made again: downloading leads only to completed, download_failed or canceled, and back only from download_failed', () => {
    const onward = new Set(events.filter((e) => allows(e, 'downloading')).map((e) => nextState(e, 'downloading')))
    expect([...onward].sort()).toEqual(['canceled', 'completed', 'download_failed', 'downloading'])
    expect(events.filter((e) => allows(e, 'download_failed')).map((e) => nextState(e, 'download_failed')).sort()).toEqual(['canceled', 'downloading'])
    expect(leadingTo('queued', 'download_failed')).toEqual([])
  })

  it('an unknown create is never re-queued by itself: from submitting, only "surely never sent" and "the provider said never arrived" go back to queued', () => {
    expect(leadingTo('queued', 'submitting').sort()).toEqual(['lookup.notFound', 'submit.notSent'])
    expect(leadingTo('queued', 'needs_decision')).toEqual(['decide.resubmit'])
    expect(leadingTo('queued', 'lost_contact')).toEqual([])
  })

  it('ended jobs stay ended; the person may stop anything not ended', () => {
    for (const s of TERMINAL_STATES) expect(events.filter((e) => allows(e, s) && nextState(e, s) !== s)).toEqual([])
    for (const s of CANCELABLE_STATES) expect(nextState('cancel', s)).toBe('canceled')
    // Retry makes a new job; it replaces only an undecided one (the others are already ended).
    for (const s of RETRYABLE_STATES) expect(TERMINAL_STATES.includes(s) || allows('retry.replace', s)).toBe(true)
  })
})

describe('the hub', () => {
  let dir: string
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('writes only moves the table allows, in the same statement that checks the state, and emits each', () => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-hub-'))
    const db = openDatabase(join(dir, 'studio.db'))
    const clock = new FakeClock()
    const store = new JobStore(db, () => dir, join)
    const hub = new JobHub(store, clock, silentLogger)
    const seen: EngineEvent[] = []
    hub.on((e) => seen.push(e))
    const [job] = hub.insert([{ id: 'j1', batchId: null, parentId: null, lineage: null, model: 'sora-2', provider: 'openai-videos', vendor: 'OpenAI', spec: { model: 'sora-2', prompt: 'x' }, externalId: 'cvs-j1', keyId: 'default', estimatedCost: 0.32, note: null, createdAt: clock.now() }], 'create.queue')
    expect(job.state).toBe('queued')
    expect(hub.transition('j1', 'poll.succeeded')).toBe(false) // not polled yet
    expect(store.get('j1')?.view.state).toBe('queued')
    expect(hub.transition('j1', 'submit.claim')).toBe(true)
    expect(hub.transition('j1', 'submit.claim')).toBe(false) // claimed once, by one engine
    expect(hub.transition('j1', 'submit.accepted', { remoteId: 'video_1', submittedAt: clock.now() })).toBe(true)
    expect(store.get('j1')?.view).toMatchObject({ state: 'submitted', remoteId: 'video_1', billed: true })
    expect(hub.transition('j1', 'poll.waiting', { progress: 40 })).toBe(true)
    expect(store.get('j1')?.view.state).toBe('submitted')
    expect(seen.map((e) => (e.type === 'job.updated' || e.type === 'job.created' ? `${e.type}:${e.job.state}` : e.type))).toEqual([
      'job.created:queued', 'job.updated:submitting', 'job.updated:submitted', 'job.updated:submitted'
    ])
    // A group of writes is emitted once, after it commits; a failure inside leaves nothing half-written.
    expect(() => hub.atomically(() => {
      hub.transition('j1', 'poll.succeeded', { progress: 100 })
      throw new Error('disk gone')
    })).toThrow('disk gone')
    expect(store.get('j1')?.view.state).toBe('submitted')
    expect(seen).toHaveLength(4)
    db.close()
  })

  it('stamps a completed job with the same instant as its completed event (one clock reading, not two)', () => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-hub-'))
    const db = openDatabase(join(dir, 'studio.db'))
    // A clock that moves on every reading, as a busy machine's does between two Date.now() calls.
    let t = 1_800_000_000_000
    const ticking = { now: () => t++, setTimeout: () => 0 as unknown as ReturnType<typeof setTimeout>, clearTimeout: () => undefined }
    const store = new JobStore(db, () => dir, join)
    const hub = new JobHub(store, ticking as never, silentLogger)
    hub.insert([{ id: 'j1', batchId: null, parentId: null, lineage: null, model: 'sora-2', provider: 'openai-videos', vendor: 'OpenAI', spec: { model: 'sora-2', prompt: 'x' }, externalId: 'cvs-j1', keyId: 'default', estimatedCost: 0.32, note: null, createdAt: ticking.now() }], 'create.queue')
    for (const e of ['submit.claim', 'submit.accepted', 'poll.succeeded'] as const) expect(hub.transition('j1', e, e === 'submit.accepted' ? { remoteId: 'video_1' } : {})).toBe(true)
    expect(hub.transition('j1', 'download.done', { fileName: 'a.mp4' })).toBe(true)
    const completedAt = store.get('j1')?.view.completedAt
    expect(completedAt).not.toBeNull()
    expect(completedAt).toBe(store.timeline('j1').at(-1)?.at)
    db.close()
  })
})
