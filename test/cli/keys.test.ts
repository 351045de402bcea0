// `comet-video key …` with named keys, as a real process against the fake CometAPI and the real OS
// keychain (.ci/run starts gnome-keyring under dbus-run-session): a team key next to the default,
// --key on create, `key use`, spend per key, a key's own cap, and removal that asks first.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { required } from '../helpers/requirement'
import { cliEnv, runCli } from './cliHarness'

const TEAM_KEY = 'sk-team-cli-key-00000042'
const keychain = required('a Secret Service (a D-Bus session with an unlocked keyring)', !!process.env.DBUS_SESSION_BUS_ADDRESS, 'run inside dbus-run-session with gnome-keyring, as .ci/run does')

let fake: FakeCometApi
let home: string

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 500 }, keys: ['sk-test-good', TEAM_KEY], tasksByKey: true })
  home = mkdtempSync(join(tmpdir(), 'cvs-cli-keys-'))
})
afterAll(async () => {
  // Never leave a test key in the person's keychain.
  if (home) await runCli(['key', 'remove', 'Team', '--yes'], envFor(home)).catch(() => undefined)
  await fake?.close()
  if (home) rmSync(home, { recursive: true, force: true })
})

/** The CLI's environment with this session's D-Bus, so the child reaches the same keychain. */
const envFor = (h: string) => cliEnv(h, fake.url, { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '' })
const create = (prompt: string, ...more: string[]): string[] => ['create', '--model', 'sora-2', '--prompt', prompt, '--seconds', '4', '--size', '1280x720', ...more]
const authOf = (prompt: string): (string | null)[] => fake.log.filter((e) => e.kind === 'create' && e.prompt === prompt).map((e) => e.authorization)

describe.runIf(keychain)('comet-video with named keys', () => {
  it('adds a team key, sends with --key, switches the default, shows spend per key, holds at its cap and asks before removing it', async () => {
    const env = envFor(home)
    const bad = await runCli(['key', 'set', '--name', 'Team'], env, 'sk-not-a-real-key-0000\n')
    expect(bad.code).toBe(3)
    expect((await runCli(['key', 'list', '--json'], env)).stdout).not.toMatch(/Team/)

    const set = await runCli(['key', 'set', '--name', 'Team'], env, `${TEAM_KEY}\n`)
    expect(set.stderr).toBe('')
    expect(set.code).toBe(0)
    expect(set.stdout).toMatch(/^Key “Team”: /)
    const list = JSON.parse((await runCli(['key', 'list', '--json'], env)).stdout) as { name: string; default: boolean; set: boolean; last4: string | null }[]
    expect(list.map((k) => [k.name, k.default, k.set, k.last4])).toEqual([
      ['Main', true, true, 'good'],
      ['Team', false, true, '0042']
    ])
    expect(JSON.stringify(list)).not.toContain(TEAM_KEY)

    const withTeam = await runCli(create('cli with the team key', '--key', 'team', '--wait', '--json'), env)
    expect(withTeam.code).toBe(0)
    expect(JSON.parse(withTeam.stdout).status).toBe('completed')
    expect(authOf('cli with the team key')).toEqual([`Bearer ${TEAM_KEY}`])
    const withDefault = await runCli(create('cli with the default key', '--wait', '--json'), env)
    expect(withDefault.code).toBe(0)
    expect(authOf('cli with the default key')).toEqual(['Bearer sk-test-good'])

    const use = await runCli(['key', 'use', 'Team'], env)
    expect(use.stdout).toMatch(/New jobs now go with the key “Team”/)
    const after = await runCli(create('cli after key use', '--wait', '--json'), env)
    expect(after.code).toBe(0)
    expect(authOf('cli after key use')).toEqual([`Bearer ${TEAM_KEY}`])

    const spend = await runCli(['spend'], env)
    expect(spend.stdout).toMatch(/Today by key:\n {2}Main +\$\d+\.\d+ +\(1 job\(s\)\)\n {2}Team +\$\d+\.\d+ +\(2 job\(s\)\)/)

    expect((await runCli(['key', 'cap', 'Team', '0.01'], env)).stdout).toMatch(/held at \$0\.01 a day/)
    const held = await runCli(create('cli over the team cap'), env)
    expect(held.code).toBe(1)
    expect(held.stderr).toMatch(/with the key “Team”.*above that key’s daily cap of \$0\.01/)
    expect(authOf('cli over the team cap')).toEqual([])

    const isDefault = await runCli(['key', 'remove', 'Team'], env)
    expect(isDefault.code).toBe(2)
    expect(isDefault.stderr).toMatch(/default key/)
    await runCli(['key', 'use', 'Main'], env)
    // The held job still needs the team key: removing it asks first, and keeps it.
    const asked = await runCli(['key', 'remove', 'Team'], env)
    expect(asked.code).toBe(2)
    expect(asked.stderr).toMatch(/1 job\(s\) sent with “Team” have not finished.*\nRun again with --yes/)
    expect((await runCli(['key', 'list'], env)).stdout).toMatch(/Team/)
    const removed = await runCli(['key', 'remove', 'Team', '--yes'], env)
    expect(removed.code).toBe(0)
    expect((await runCli(['key', 'list', '--json'], env)).stdout).not.toMatch(/Team/)
    const unknown = await runCli(create('cli with no such key', '--key', 'Team'), env)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/There is no key named “Team”/)
  }, 120_000)
})
