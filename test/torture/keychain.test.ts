// No OS keychain (no Secret Service on D-Bus): the app still starts, says where the key is kept
// instead, and works; the CLI says plainly how to give it a key.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KeyStatus, KeyTestResult } from '../../src/shared/keys'
import { BIN } from '../cli/cliHarness'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { recordFigures } from './figures'
import { ROOT_DIR } from './helpers'

/** The environment of a desktop session with no Secret Service: no D-Bus, no display to autolaunch one. */
function noKeychainEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: home, NO_COLOR: '1', ...extra }
}

function run(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, cwd: ROOT_DIR, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout!.on('data', (d) => (out += d))
    child.stderr!.on('data', (d) => (err += d))
    child.stdin!.end(stdin)
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

describe('no OS keychain', () => {
  let fake: FakeCometApi
  const homes: string[] = []
  const figures: Record<string, string> = {}
  const home = (): string => {
    const h = mkdtempSync(join(tmpdir(), 'cvs-torture-nokc-'))
    homes.push(h)
    return h
  }

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 300 } })
  })
  afterAll(async () => {
    await fake?.close()
    for (const h of homes) rmSync(h, { recursive: true, force: true })
    recordFigures('No OS keychain', figures)
  })

  it('the app starts, says plainly that the key could only be obfuscated (not encrypted), asks first, and works once the person agrees', async () => {
    const h = home()
    const r = await run(['--import', 'tsx', join(ROOT_DIR, 'test/torture/children/noKeychain.ts'), h, fake.url, `cvs-torture-${process.pid}`], noKeychainEnv(h))
    expect(r.code, r.err).toBe(0)
    const seen = JSON.parse(r.out.trim().split('\n').pop()!) as { before: KeyStatus; asked: KeyTestResult; saved: KeyTestResult; state: string; again: KeyStatus }
    expect(seen.before).toMatchObject({ set: false, storage: 'obfuscated-file' })
    expect(seen.before.problem).toMatch(/(No OS keychain is available|keychain module \(keytar\) is not installed).*obfuscated, not encrypted/)
    expect(JSON.stringify(seen)).not.toMatch(/encrypted file/)
    expect(seen.asked).toMatchObject({ ok: false, needsConsent: 'obfuscated', status: { set: false } })
    expect(seen.asked.message).toMatch(/obfuscated, not encrypted.*Store it anyway, keep it for this session only, or set COMETAPI_KEY/)
    expect(seen.saved).toMatchObject({ ok: true, verified: true, status: { storage: 'obfuscated-file', source: 'obfuscated-file', last4: 'good' } })
    expect(seen.saved.message).toMatch(/saved in an obfuscated file \(not encrypted: there is no OS keychain\)/)
    expect(seen.state).toBe('completed')
    expect(seen.again).toMatchObject({ set: true, source: 'obfuscated-file', last4: 'good' })
    figures['app without keychain'] = `started; said the key could only be obfuscated and asked first; kept there once agreed; job ${seen.state}`
  })

  it('the CLI without a keychain and without COMETAPI_KEY says how to give it a key (exit 3), and works with COMETAPI_KEY', async () => {
    const h = home()
    const base = { COMET_VIDEO_HOME: h, COMETAPI_BASE_URL: fake.url, CVS_TEST_PRIOR_SECONDS: '0.3', CVS_TEST_WAIT_SCALE: '0.05' }
    const create = await run([BIN, 'create', '--model', 'sora-2', '--prompt', 'cli without keychain', '--seconds', '4', '--size', '1280x720', '--quiet'], noKeychainEnv(h, base))
    expect(create.code).toBe(3)
    expect(create.err).toMatch(/No CometAPI key is set\. .*comet-video key set.*COMETAPI_KEY/)
    const set = await run([BIN, 'key', 'set'], noKeychainEnv(h, base), 'sk-test-good\n')
    expect(set.code).toBe(3)
    expect(set.err).toMatch(/(No OS keychain is available|keychain module \(keytar\) is not installed).* Set COMETAPI_KEY instead\./)
    expect(set.err).not.toContain('sk-test-good')
    const status = await run([BIN, 'key', 'status'], noKeychainEnv(h, base))
    expect(status.out + status.err).toMatch(/No key set\. Run: comet-video key set/)
    // With the key in the environment it just works, and finishes the job created above too.
    const wait = await run([BIN, 'wait', '--json'], noKeychainEnv(h, { ...base, COMETAPI_KEY: 'sk-test-good' }))
    expect(wait.code, wait.err).toBe(0)
    expect(JSON.parse(wait.out).jobs.map((j: { status: string }) => j.status)).toEqual(['completed'])
    figures['CLI without keychain, no key'] = 'exit 3 with "run comet-video key set … or set COMETAPI_KEY"'
    figures['CLI without keychain, COMETAPI_KEY'] = 'works (the waiting job completed)'
  })

})
