// `comet-video` end to end: a real process against the fake CometAPI over loopback, including
// being killed with SIGKILL mid-poll and mid-download and finishing with `comet-video wait`.
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { FIXTURES, until } from '../engine/harness'
import { cliEnv, runCli, startCli } from './cliHarness'

let fake: FakeCometApi
let home: string
const homes: string[] = []

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 600 } })
})
afterAll(async () => {
  await fake.close()
  for (const h of homes) rmSync(h, { recursive: true, force: true })
})

function newHome(): string {
  const h = mkdtempSync(join(tmpdir(), 'cvs-cli-'))
  homes.push(h)
  return h
}

afterEach(() => {
  fake.setOptions({ durations: { '*': 600 }, fileBytesPerSecond: null, videoBytes: {} })
})

/** Job rows straight from the database the CLI uses. */
function dbJobs(h: string): { id: string; state: string; remote_id: string | null; downloaded_bytes: number }[] {
  const file = join(h, 'studio.db')
  if (!existsSync(file)) return []
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return db.prepare('SELECT id, state, remote_id, downloaded_bytes FROM jobs').all() as never
  } catch {
    return []
  } finally {
    db.close()
  }
}

describe('comet-video', () => {
  it('lists the video models (--json)', async () => {
    home = newHome()
    const r = await runCli(['models', '--json'], cliEnv(home, fake.url))
    expect(r.code).toBe(0)
    const { models } = JSON.parse(r.stdout)
    expect(models.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['sora-2', 'kling-v2-6', 'grok-imagine-video', 'gen4_turbo']))
    expect(models.find((m: { id: string }) => m.id === 'sora-2')).toMatchObject({ provider: 'openai-videos', modes: expect.arrayContaining(['text-to-video']) })
  })

  it('creates a video and waits for it (--wait --json): one JSON document, progress on stderr', async () => {
    home = newHome()
    const r = await runCli(['create', '--model', 'sora-2', '--prompt', 'cli paper plane', '--seconds', '4', '--size', '1280x720', '--wait', '--json'], cliEnv(home, fake.url))
    expect(r.stderr).not.toContain('sk-test-good')
    expect(r.code).toBe(0)
    const job = JSON.parse(r.stdout)
    expect(job).toMatchObject({ model: 'sora-2', provider: 'openai-videos', status: 'completed', progress: 100, error: null })
    expect(job.id).toBeTruthy()
    expect(job.remoteId).toMatch(/^video_/)
    expect(existsSync(job.file)).toBe(true)
    const lib = await runCli(['library', '--search', 'plane', '--json'], cliEnv(home, fake.url))
    expect(JSON.parse(lib.stdout).items[0].file).toBe(job.file)
  })

  it('creates without waiting, then `wait` finishes it', async () => {
    home = newHome()
    const r = await runCli(['create', '-m', 'kling-v2-6', '-p', 'cli kling later', '--seconds', '5', '--json'], cliEnv(home, fake.url))
    expect(r.code).toBe(0)
    const job = JSON.parse(r.stdout)
    expect(['submitted', 'running', 'downloading', 'completed']).toContain(job.status)
    expect(job.remoteId).toBeTruthy()
    const w = await runCli(['wait', job.id, '--json'], cliEnv(home, fake.url))
    expect(w.code).toBe(0)
    expect(JSON.parse(w.stdout).jobs[0]).toMatchObject({ id: job.id, status: 'completed' })
  })

  it('exits 2 on a validation error, naming the field and the allowed values', async () => {
    home = newHome()
    const r = await runCli(['create', '--model', 'sora-2', '--prompt', 'x', '--seconds', '7'], cliEnv(home, fake.url))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/seconds: .*4.*8.*12/)
    expect(fake.creates().filter((e) => e.prompt === 'x')).toHaveLength(0)
    expect((await runCli(['create', '--prompt', 'no model'], cliEnv(home, fake.url))).code).toBe(2)
    expect((await runCli(['frobnicate'], cliEnv(home, fake.url))).code).toBe(2)
  })

  it('exits 3 when the key is rejected, and never prints the key', async () => {
    home = newHome()
    const env = cliEnv(home, fake.url, { COMETAPI_KEY: 'sk-wrong-key-abcdef123456' })
    const r = await runCli(['create', '--model', 'sora-2', '--prompt', 'bad key', '--seconds', '4', '--wait'], env)
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/did not accept the API key/)
    expect(r.stderr + r.stdout).not.toContain('sk-wrong-key-abcdef123456')
  })

  it('exits 1 when a job fails, with its plain message', async () => {
    home = newHome()
    const r = await runCli(['create', '--model', 'sora-2', '--prompt', 'cli [fail] please', '--seconds', '4', '--wait', '--json'], cliEnv(home, fake.url))
    expect(r.code).toBe(1)
    const job = JSON.parse(r.stdout)
    expect(job.status).toBe('failed')
    expect(job.error).toMatchObject({ kind: 'provider_failed' })
    const retry = await runCli(['retry', job.id, '--json'], cliEnv(home, fake.url))
    expect(retry.code).toBe(0)
    expect(JSON.parse(retry.stdout).parentId).toBe(job.id)
  })

  it('batch: one job per image in a folder, non-images listed as skipped with the reason', async () => {
    home = newHome()
    const dir = join(home, 'drop')
    mkdirSync(join(dir, 'nested'), { recursive: true })
    copyFileSync(join(FIXTURES, 'images/solid-300x300.jpg'), join(dir, 'a.jpg'))
    copyFileSync(join(FIXTURES, 'images/solid-1280x720.png'), join(dir, 'b.png'))
    copyFileSync(join(FIXTURES, 'images/solid-720x1280.jpg'), join(dir, 'nested/c.jpg'))
    copyFileSync(join(FIXTURES, 'images/pdf-renamed.png'), join(dir, 'fake.png'))
    copyFileSync(join(FIXTURES, 'images/solid-100x100.png'), join(dir, 'tiny.png'))
    writeFileSync(join(dir, 'notes.txt'), 'hello')
    const r = await runCli(['batch', '--model', 'kling-v2-6', '--prompt', 'cli batch', '--seconds', '5', dir, '--wait', '--json'], cliEnv(home, fake.url))
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.jobs).toHaveLength(3)
    expect(out.jobs.every((j: { status: string }) => j.status === 'completed')).toBe(true)
    const skipped = Object.fromEntries(out.skipped.map((s: { file: string; reason: string }) => [s.file.split('/').pop(), s.reason]))
    expect(skipped['fake.png']).toMatch(/not one/)
    expect(skipped['notes.txt']).toMatch(/^Not an image\.$/)
    expect(skipped['tiny.png']).toMatch(/100x100.*300x300/)
  })

  it('survives SIGKILL mid-poll: `wait` completes the job with exactly one create', async () => {
    home = newHome()
    fake.setOptions({ durations: { '*': 4000 } })
    const env = cliEnv(home, fake.url)
    const run = startCli(['create', '--model', 'sora-2', '--prompt', 'cli killed while polling', '--seconds', '4', '--wait'], env)
    await until(() => dbJobs(home).some((j) => j.remote_id && ['submitted', 'running'].includes(j.state)), 20_000)
    run.child.kill('SIGKILL')
    const killed = await run.done
    expect(killed.signal).toBe('SIGKILL')
    const w = await runCli(['wait', '--json'], env)
    expect(w.code).toBe(0)
    expect(JSON.parse(w.stdout).jobs[0].status).toBe('completed')
    expect(fake.createCountsByPrompt().get('cli killed while polling')).toBe(1)
  }, 60_000)

  it('survives SIGKILL mid-download: `wait` resumes with Range, no partial left in the library', async () => {
    home = newHome()
    fake.setOptions({ durations: { '*': 300 }, videoBytes: { '*': 2_000_000 }, fileBytesPerSecond: 1_000_000 })
    const env = cliEnv(home, fake.url)
    const run = startCli(['create', '--model', 'sora-2', '--prompt', 'cli killed while downloading', '--seconds', '4', '--wait'], env)
    const partialDir = join(home, 'library', '.partial')
    await until(() => existsSync(partialDir) && readdirSync(partialDir).some((f) => f.endsWith('.part')) && dbJobs(home).some((j) => j.state === 'downloading' && j.downloaded_bytes > 200_000), 20_000)
    run.child.kill('SIGKILL')
    await run.done
    fake.setOptions({ fileBytesPerSecond: null })
    const w = await runCli(['wait', '--json'], env)
    expect(w.code).toBe(0)
    const [job] = JSON.parse(w.stdout).jobs
    expect(job.status).toBe('completed')
    const files = fake.log.filter((e) => e.kind === 'file')
    expect(files.at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/)
    expect(readdirSync(partialDir).filter((f) => f.endsWith('.part'))).toEqual([])
    expect(fake.createCountsByPrompt().get('cli killed while downloading')).toBe(1)
  }, 60_000)

  it('reads the key from stdin for `key set`, never from argv', async () => {
    home = newHome()
    const env = cliEnv(home, fake.url, { COMETAPI_KEY: '' })
    const argv = await runCli(['key', 'set', 'sk-in-argv-123456'], env)
    expect(argv.code).toBe(2)
    expect(argv.stderr).toMatch(/standard input/)
    const status = await runCli(['key', 'status'], cliEnv(home, fake.url))
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/…good/)
  })

  it('`key set` checks the key against the API first, as the app does: a rejected key is not stored', async () => {
    home = newHome()
    const env = cliEnv(home, fake.url, { COMETAPI_KEY: '' })
    const before = fake.log.length
    const set = await runCli(['key', 'set'], env, 'sk-not-a-real-key-0000\n')
    expect(set.code).toBe(3)
    expect(set.stderr).toMatch(/did not accept this key\. Check that you copied all of it/)
    expect(set.stderr).toMatch(/CometAPI answered: HTTP 401, “invalid token”, request id [0-9a-f]{32}/)
    expect(set.stderr + set.stdout).not.toMatch(/sk-not-a-real-key/)
    // The check is one authenticated call to the base URL.
    expect(fake.log.slice(before).some((e) => e.path === '/v1/models')).toBe(true)
    const status = await runCli(['key', 'status'], env)
    expect(status.stdout).toMatch(/No key set/)
  })

  it('batch walks folders like the app does: the same image twice and a symlink loop are handled', async () => {
    home = newHome()
    const dir = join(home, 'drop')
    mkdirSync(join(dir, 'sub'), { recursive: true })
    copyFileSync(join(FIXTURES, 'images/solid-1280x720.png'), join(dir, 'a.png'))
    copyFileSync(join(FIXTURES, 'images/solid-1280x720.png'), join(dir, 'sub/a-copy.png'))
    symlinkSync(dir, join(dir, 'sub/loop'))
    const r = await runCli(['batch', '--model', 'kling-v2-6', '--prompt', 'cli dedupe', '--seconds', '5', dir, '--wait', '--json'], cliEnv(home, fake.url))
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.jobs).toHaveLength(1)
    expect(out.skipped).toEqual([{ file: join(dir, 'sub/a-copy.png'), reason: `the same image as ${join(dir, 'a.png')}` }])
    expect(fake.createCountsByPrompt().get('cli dedupe')).toBe(1)
  })

  it('the installed entry point runs the CLI', async () => {
    home = newHome()
    const help = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/comet-video.js'), 'help'], { env: cliEnv(home, fake.url) })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      child.on('close', (code) => resolve({ code, out }))
    })
    expect(help.code).toBe(0)
    expect(help.out).toMatch(/^comet-video — generate videos/)
  })

  it('`retry` on a made video whose download failed downloads it again: no new task, no new charge', async () => {
    home = newHome()
    fake.setOptions({ resultUrlTtlMs: -60_000 })
    const env = cliEnv(home, fake.url)
    const made = await runCli(['create', '--model', 'kling-v2-6', '--prompt', 'cli download fails', '--seconds', '5', '--wait', '--json'], env)
    expect(made.code).toBe(1)
    const job = JSON.parse(made.stdout)
    expect(job).toMatchObject({ status: 'download_failed', billed: true })
    fake.setOptions({ resultUrlTtlMs: 60_000 })
    const again = await runCli(['retry', job.id, '--wait', '--json'], env)
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ id: job.id, status: 'completed' })
    expect(fake.createCountsByPrompt().get('cli download fails')).toBe(1)
  }, 60_000)

  it('`decide --batch` resubmits every undecided job of a batch in one step, saying how many and the cost', async () => {
    home = newHome()
    const dir = join(home, 'drop')
    mkdirSync(dir, { recursive: true })
    copyFileSync(join(FIXTURES, 'images/solid-1280x720.png'), join(dir, 'a.png'))
    copyFileSync(join(FIXTURES, 'images/solid-300x300.jpg'), join(dir, 'b.jpg'))
    fake.injectOnce({ kind: 'create', fault: 'create-then-524', count: 2 })
    const env = cliEnv(home, fake.url)
    const sent = await runCli(['batch', '--model', 'gen4_turbo', '--prompt', 'cli undecided', '--seconds', '5', dir, '--wait', '--json'], env)
    expect(sent.code).toBe(1)
    const jobs = JSON.parse(sent.stdout).jobs as { id: string; status: string; batchId: string }[]
    expect(jobs.map((j) => j.status)).toEqual(['needs_decision', 'needs_decision'])
    const decided = await runCli(['decide', '--batch', jobs[0].batchId, 'resubmit'], env)
    expect(decided.code).toBe(0)
    expect(decided.stdout).toMatch(/Resubmitted 2 job\(s\) as new paid jobs, about \d+\.\d\d\./)
    const done = await runCli(['wait', '--json'], env)
    expect(JSON.parse(done.stdout).jobs.map((j: { status: string }) => j.status)).toEqual(['completed', 'completed'])
  }, 60_000)

  it('refuses a COMETAPI_BASE_URL the key may not go to (plain http to another machine), naming the rule', async () => {
    home = newHome()
    const r = await runCli(['models'], cliEnv(home, 'http://api.cometapi.com'))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/COMETAPI_BASE_URL: The base URL must start with https:\/\//)
  })
})
