// Named keys: each job is sent, checked and downloaded with the key it was created with, whatever
// the default is later; spend and caps are kept per key; a key with unfinished jobs is not removed
// without asking. The fake gives each key only its own tasks (as two CometAPI accounts would), so
// a poll or download with the wrong key meets "no such task" and the job would never complete.
import { afterEach, describe, expect, it } from 'vitest'
import { harness, type Harness, KEY, settle, sora, until } from './harness'

const TEAM_KEY = 'sk-team-key-0000000099'

let h: Harness
afterEach(async () => {
  await h?.cleanup()
})

/** A key source like the app's vault: one key per profile id, the legacy key under 'default'. */
function vault(keys: Record<string, string | null>): { getKey: (id?: string) => Promise<string | null> } {
  return { getKey: async (id = 'default') => keys[id] ?? null }
}

const requestsOf = (h: Harness, remoteId: string, prompt: string): { kind: string; authorization: string | null }[] =>
  h.fake.log.filter((e) => (e.kind === 'create' && e.prompt === prompt) || e.taskId === remoteId).map((e) => ({ kind: e.kind, authorization: e.authorization }))

describe('named keys', () => {
  it('polls and downloads each job with the key it was created with, after the default changes', async () => {
    const keys: Record<string, string | null> = { default: KEY }
    h = await harness({ keys: [KEY, TEAM_KEY], tasksByKey: true, durations: { '*': 1500 } }, { keys: vault(keys) })
    const team = h.engine.prepareKey('Team')
    keys[team.id] = TEAM_KEY
    h.engine.addKey(team.id, team.label)
    // The signed result links are refused, so every video comes through CometAPI's content route, which needs the key.
    h.fake.injectOnce({ kind: 'file', count: 1000, fault: 'file-refused' })
    h.engine.start()

    const a = await h.engine.createJobs({ specs: [sora('made with the team key')], keyId: team.id })
    const b = await h.engine.createJobs({ specs: [sora('made with the default key')] })
    if (!a.ok || !b.ok) throw new Error('refused')
    expect(a.jobs[0].keyId).toBe(team.id)
    expect(b.jobs[0].keyId).toBe('default')
    // While both are being made, the person makes the team key the default.
    await until(() => !!h.engine.getJob(b.jobs[0].id)?.remoteId)
    h.engine.updateKey(team.id, { makeDefault: true })
    expect(h.engine.defaultKeyId()).toBe(team.id)
    const c = await h.engine.createJobs({ specs: [sora('made after the default changed')] })
    if (!c.ok) throw new Error('refused')
    expect(c.jobs[0].keyId).toBe(team.id)

    const done = await settle(h.engine, [a.jobs[0].id, b.jobs[0].id, c.jobs[0].id], 30_000)
    expect(done.map((j) => j.state)).toEqual(['completed', 'completed', 'completed'])
    const [ja, jb, jc] = done
    const reqA = requestsOf(h, ja.remoteId!, 'made with the team key')
    const reqB = requestsOf(h, jb.remoteId!, 'made with the default key')
    const reqC = requestsOf(h, jc.remoteId!, 'made after the default changed')
    // Each saw its create, at least one poll, and the content download, each with its own key only
    // (The refused signed links carried no key at all: a key never goes to a result link.)
    const api = (reqs: { kind: string; authorization: string | null }[]) => reqs.filter((r) => r.kind !== 'file')
    for (const reqs of [reqA, reqB, reqC]) {
      expect(new Set(api(reqs).map((r) => r.kind))).toEqual(new Set(['create', 'poll', 'content']))
      expect(reqs.filter((r) => r.kind === 'file').every((r) => r.authorization === null)).toBe(true)
    }
    expect(new Set(api(reqA).map((r) => r.authorization))).toEqual(new Set([`Bearer ${TEAM_KEY}`]))
    expect(new Set(api(reqB).map((r) => r.authorization))).toEqual(new Set([`Bearer ${KEY}`]))
    expect(new Set(api(reqC).map((r) => r.authorization))).toEqual(new Set([`Bearer ${TEAM_KEY}`]))
    expect(h.fake.log.filter((e) => e.fault === 'other-key')).toHaveLength(0)
  }, 60_000)

  it('keeps spend per key per day and holds a batch over a key’s own cap, not the other key’s jobs', async () => {
    const keys: Record<string, string | null> = { default: KEY }
    h = await harness({ keys: [KEY, TEAM_KEY], tasksByKey: true, durations: { '*': 300 } }, { keys: vault(keys) })
    const team = h.engine.prepareKey('Team')
    keys[team.id] = TEAM_KEY
    h.engine.addKey(team.id, team.label)
    h.engine.start()
    const a = await h.engine.createJobs({ specs: [sora('team one'), sora('team two')], keyId: team.id })
    const b = await h.engine.createJobs({ specs: [sora('default one')] })
    if (!a.ok || !b.ok) throw new Error('refused')
    await settle(h.engine, [...a.jobs, ...b.jobs].map((j) => j.id))
    const per = (id: string) => h.engine.spend().byKey.find((k) => k.keyId === id)
    const teamCost = a.jobs.reduce((s, j) => s + (j.estimatedCost ?? 0), 0)
    expect(teamCost).toBeGreaterThan(0)
    expect(per(team.id)).toMatchObject({ label: 'Team', todayJobs: 2, dailyCap: null })
    expect(per(team.id)?.todayAmount).toBeCloseTo(teamCost, 6)
    expect(per('default')).toMatchObject({ label: 'Main', todayJobs: 1 })
    expect(per('default')?.todayAmount).toBeCloseTo(b.jobs[0].estimatedCost ?? 0, 6)
    expect(h.engine.keys().find((k) => k.id === team.id)?.spentToday).toBeCloseTo(teamCost, 6)

    // A cap just above what the team key spent: one more team job goes over it, a default-key job does not.
    h.engine.updateKey(team.id, { dailyCap: teamCost + 0.01 })
    const held = await h.engine.createJobs({ specs: [sora('team three')], keyId: team.id })
    if (!held.ok) throw new Error('refused')
    expect(held.held).toBe(true)
    expect(held.jobs[0].state).toBe('held')
    expect(held.jobs[0].noteCode).toBe('held.overKeyCapOne')
    expect(held.note).toMatch(/“Team”.*daily cap of \$/)
    const free = await h.engine.createJobs({ specs: [sora('default two')] })
    if (!free.ok) throw new Error('refused')
    expect(free.held).toBe(false)
    // The person confirms: it is sent with the team key.
    h.engine.confirmHeld([held.jobs[0].id])
    const [sent] = await settle(h.engine, [held.jobs[0].id])
    expect(sent.state).toBe('completed')
    expect(per(team.id)?.todayJobs).toBe(3)
    expect(() => h.engine.updateKey(team.id, { dailyCap: -1 })).toThrow(/0 or more/)
  }, 60_000)

  it('asks before removing a key whose jobs have not finished, never removes the default, and refuses an unknown key', async () => {
    const keys: Record<string, string | null> = { default: KEY }
    h = await harness({ keys: [KEY, TEAM_KEY], durations: { '*': 60_000 } }, { keys: vault(keys) })
    const team = h.engine.prepareKey('Team')
    keys[team.id] = TEAM_KEY
    h.engine.addKey(team.id, team.label)
    expect(() => h.engine.prepareKey('team')).toThrow(/already exists/)
    expect(() => h.engine.prepareKey('   ')).toThrow(/Give the key a name/)
    h.engine.start()
    const a = await h.engine.createJobs({ specs: [sora('still being made')], keyId: team.id })
    if (!a.ok) throw new Error('refused')
    await until(() => !!h.engine.getJob(a.jobs[0].id)?.remoteId)
    const asked = h.engine.removeKey(team.id)
    expect(asked).toMatchObject({ removed: false, inFlight: 1 })
    expect(asked.question?.code).toBe('keyRemove.inFlight')
    expect(asked.question?.text).toMatch(/1 job\(s\) sent with “Team”/)
    expect(h.engine.keys().map((k) => k.label)).toContain('Team')
    expect(() => h.engine.removeKey('default')).toThrow(/default key/)
    expect(h.engine.removeKey(team.id, true)).toMatchObject({ removed: true, inFlight: 1 })
    expect(h.engine.keys().map((k) => k.label)).toEqual(['Main'])
    // Its spend stays on record under a removed key; a job naming it now is refused before anything is sent.
    const refused = await h.engine.createJobs({ specs: [sora('with a removed key')], keyId: team.id })
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.errors[0].errors[0]).toMatchObject({ field: 'key', code: 'keyProfile.unknown' })
    expect(h.fake.creates().filter((e) => e.prompt === 'with a removed key')).toHaveLength(0)
  }, 30_000)

  it('a retry or duplicate goes with the old job’s key, or the default once that key is gone', async () => {
    const keys: Record<string, string | null> = { default: KEY }
    h = await harness({ keys: [KEY, TEAM_KEY], durations: { '*': 200 } }, { keys: vault(keys) })
    const team = h.engine.prepareKey('Team')
    keys[team.id] = TEAM_KEY
    h.engine.addKey(team.id, team.label)
    h.engine.start()
    const a = await h.engine.createJobs({ specs: [sora('to duplicate')], keyId: team.id })
    if (!a.ok) throw new Error('refused')
    await settle(h.engine, [a.jobs[0].id])
    const dup = await h.engine.duplicate(a.jobs[0].id)
    if (!dup.ok) throw new Error('refused')
    expect(dup.jobs[0].keyId).toBe(team.id)
    await settle(h.engine, [dup.jobs[0].id])
    h.engine.removeKey(team.id, true)
    const dup2 = await h.engine.duplicate(a.jobs[0].id)
    if (!dup2.ok) throw new Error('refused')
    expect(dup2.jobs[0].keyId).toBe('default')
  }, 30_000)

  it('a job whose key has no value here is not sent, and the pause names that key', async () => {
    const keys: Record<string, string | null> = { default: KEY }
    h = await harness({ keys: [KEY, TEAM_KEY] }, { keys: vault(keys) })
    const team = h.engine.prepareKey('Team')
    h.engine.addKey(team.id, team.label) // its key was never stored on this computer
    h.engine.start()
    const a = await h.engine.createJobs({ specs: [sora('with a key not stored here')], keyId: team.id })
    if (!a.ok) throw new Error('refused')
    await until(() => h.engine.status().paused !== null)
    expect(h.engine.status().paused).toMatchObject({ kind: 'no_key', code: 'keyProfile.noSecret' })
    expect(h.engine.status().paused?.message).toMatch(/The key “Team” has no value stored on this computer/)
    expect(h.engine.getJob(a.jobs[0].id)?.state).toBe('queued')
    expect(h.fake.creates()).toHaveLength(0)
    // Once the key is there, it goes.
    keys[team.id] = TEAM_KEY
    h.engine.resume()
    const [done] = await settle(h.engine, [a.jobs[0].id])
    expect(done.state).toBe('completed')
  }, 30_000)

  it('a named key CometAPI refuses pauses new work with a sentence that names that key', async () => {
    const keys: Record<string, string | null> = { default: KEY }
    h = await harness({ keys: [KEY] }, { keys: vault(keys) }) // the fake knows only the main key
    const team = h.engine.prepareKey('Team')
    keys[team.id] = TEAM_KEY
    h.engine.addKey(team.id, team.label)
    h.engine.start()
    const a = await h.engine.createJobs({ specs: [sora('with a revoked team key')], keyId: team.id })
    if (!a.ok) throw new Error('refused')
    await until(() => h.engine.status().paused !== null)
    expect(h.engine.status().paused).toMatchObject({ kind: 'auth', code: 'api.authKey', params: expect.objectContaining({ key: 'Team' }) })
    expect(h.engine.status().paused?.message).toMatch(/did not accept the key “Team” \(401\)/)
    expect(h.engine.getJob(a.jobs[0].id)?.state).toBe('queued')
    expect(h.engine.status().paused?.message).not.toContain(TEAM_KEY)
  }, 30_000)
})
