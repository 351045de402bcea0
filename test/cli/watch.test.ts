// `comet-video watch`: a real process against the fake CometAPI, watching a real folder. Each file's
// outcome is printed, an image is sent once (also by a second run on the same folder), and Ctrl-C
// (SIGINT) stops it cleanly with exit 0.
import Database from 'better-sqlite3'
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { FIXTURES, until } from '../engine/harness'
import { solidPng } from '../helpers/png'
import { cliEnv, runCli, startCli } from './cliHarness'

let fake: FakeCometApi
const homes: string[] = []

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 300 } })
})
afterAll(async () => {
  await fake.close()
  for (const h of homes) rmSync(h, { recursive: true, force: true })
})

function newHome(): string {
  const h = mkdtempSync(join(tmpdir(), 'cvs-cli-watch-'))
  homes.push(h)
  return h
}

function dbJobs(h: string): { id: string; state: string; spec: string }[] {
  const file = join(h, 'studio.db')
  if (!existsSync(file)) return []
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return db.prepare('SELECT id, state, spec FROM jobs').all() as never
  } finally {
    db.close()
  }
}

/** Runs `watch` until `whileRunning` is done, then sends Ctrl-C; resolves with what it printed. */
async function watchRun(args: string[], env: NodeJS.ProcessEnv, whileRunning: (out: () => string, err: () => string) => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli(['watch', ...args], env)
  let stdout = ''
  run.child.stdout!.on('data', (d) => (stdout += d))
  try {
    await until(() => run.stderrSoFar().includes('Watching '), 20_000)
    await whileRunning(() => stdout, () => run.stderrSoFar())
  } catch (err) {
    run.child.kill('SIGKILL')
    throw new Error(`${String(err)}\nstdout:\n${stdout}\nstderr:\n${run.stderrSoFar()}`)
  }
  run.child.kill('SIGINT')
  const r = await run.done
  return { code: r.code, stdout: r.stdout, stderr: r.stderr }
}

const png = (seed: number): Buffer => solidPng(640, 360, [seed % 256, (seed * 5) % 256, (seed * 11) % 256])
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('comet-video watch', () => {
  it('prints each file’s outcome, sends each image once, and stops cleanly on Ctrl-C', async () => {
    const home = newHome()
    const dir = join(home, 'incoming')
    mkdirSync(dir)
    writeFileSync(join(dir, 'a.png'), png(1))
    writeFileSync(join(dir, 'notes.txt'), 'not a picture')
    const env = cliEnv(home, fake.url)
    const args = [dir, '--model', 'kling-v2-6', '--prompt', 'cli watch {file}', '--seconds', '5', '--settle', '0.3', '--existing', 'include']
    const first = await watchRun(args, env, async (out) => {
      await until(() => /a\.png: queued as job \S+/.test(out()) && /notes\.txt: refused: Not an image/.test(out()), 20_000)
      // Written in parts while it watches: settles, then one job.
      const bytes = png(2)
      const fd = openSync(join(dir, 'b.png'), 'w')
      for (let i = 0; i < 4; i++) {
        writeSync(fd, bytes, i * Math.ceil(bytes.length / 4), Math.min(Math.ceil(bytes.length / 4), bytes.length - i * Math.ceil(bytes.length / 4)))
        await sleep(100)
      }
      closeSync(fd)
      await until(() => /b\.png: queued as job/.test(out()), 20_000)
      copyFileSync(join(dir, 'a.png'), join(dir, 'a copy.png'))
      await until(() => /a copy\.png: skipped, the same image as a\.png/.test(out()), 20_000)
      // The jobs of this run are followed to their end.
      await until(() => /a\.png: \S+\s+kling-v2-6\s+completed/.test(out()) && /b\.png: \S+\s+kling-v2-6\s+completed/.test(out()), 30_000)
    })
    expect(first.code).toBe(0)
    expect(first.stderr).toContain('Stopping…')
    expect(first.stdout).toMatch(/b\.png: waiting for the file to settle…/)
    expect(dbJobs(home)).toHaveLength(2)
    expect(fake.createCountsByPrompt().get('cli watch a')).toBe(1)
    expect(fake.createCountsByPrompt().get('cli watch b')).toBe(1)

    // A second run on the same folder: everything there was handled before; nothing is sent again.
    const second = await watchRun(args, env, async (out) => {
      await until(() => /a\.png: already sent as job/.test(out()) && /b\.png: already sent as job/.test(out()) && /a copy\.png: already skipped/.test(out()) && /notes\.txt: already refused/.test(out()), 20_000)
      copyFileSync(join(dir, 'b.png'), join(dir, 'b again.png'))
      await until(() => /b again\.png: skipped, the same image as b\.png/.test(out()), 20_000)
    })
    expect(second.code).toBe(0)
    expect(second.stdout).not.toMatch(/queued as job/)
    expect(dbJobs(home)).toHaveLength(2)
  }, 120_000)

  it('--json prints one JSON line per outcome', async () => {
    const home = newHome()
    const dir = join(home, 'in')
    mkdirSync(dir)
    copyFileSync(join(FIXTURES, 'images/solid-300x300.jpg'), join(dir, 'photo.jpg'))
    copyFileSync(join(FIXTURES, 'images/solid-100x100.png'), join(dir, 'tiny.png'))
    const r = await watchRun([dir, '--model', 'kling-v2-6', '--prompt', 'json watch', '--seconds', '5', '--settle', '0.2', '--json', '--existing', 'include'], cliEnv(home, fake.url), async (out) => {
      await until(() => out().split('\n').filter((l) => /"outcome":"(queued|refused)"/.test(l)).length === 2, 20_000)
    })
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; outcome?: string; job?: string; reason?: string })
    const byFile = Object.fromEntries(lines.filter((l) => l.outcome && l.outcome !== 'settling').map((l) => [l.file, l]))
    expect(byFile['photo.jpg']).toMatchObject({ outcome: 'queued', job: expect.stringMatching(/^j/) })
    expect(byFile['tiny.png']).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/100x100/) })
  }, 60_000)

  it('by default skips the images already in the folder and says how many; --existing include sends them', async () => {
    const home = newHome()
    const dir = join(home, 'old')
    mkdirSync(dir)
    writeFileSync(join(dir, 'old-1.png'), png(30))
    writeFileSync(join(dir, 'old-2.png'), png(31))
    const env = cliEnv(home, fake.url)
    const skipping = await watchRun([dir, '--model', 'kling-v2-6', '--prompt', 'skip default {file}', '--seconds', '5', '--settle', '0.2'], env, async (out) => {
      await until(() => /old-1\.png: already there when the folder was added/.test(out()) && /old-2\.png: already there/.test(out()), 20_000)
      writeFileSync(join(dir, 'new.png'), png(32))
      await until(() => /new\.png: queued as job/.test(out()), 20_000)
    })
    expect(skipping.code).toBe(0)
    expect(skipping.stderr).toMatch(/Skipped 2 files already in the folder \(--existing include sends them\)/)
    expect(skipping.stdout).not.toMatch(/old-\d\.png: queued/)
    expect(fake.createCountsByPrompt().get('skip default old-1') ?? 0).toBe(0)
    expect(dbJobs(home)).toHaveLength(1)
    // A later run in the same folder sends what arrived while nothing watched it (and not the old ones).
    writeFileSync(join(dir, 'overnight.png'), png(34))
    const nextDay = await watchRun([dir, '--model', 'kling-v2-6', '--prompt', 'skip default {file}', '--seconds', '5', '--settle', '0.2'], env, async (out) => {
      await until(() => /overnight\.png: queued as job/.test(out()), 20_000)
    })
    expect(nextDay.code).toBe(0)
    expect(nextDay.stderr).not.toMatch(/Skipped/)
    expect(nextDay.stdout).not.toMatch(/old-\d\.png: queued/)
    expect(dbJobs(home)).toHaveLength(2)
    const bad = await runCli(['watch', dir, '--model', 'kling-v2-6', '--prompt', 'x', '--existing', 'maybe'], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--existing is include or skip/)

    const dir2 = join(home, 'old2')
    mkdirSync(dir2)
    writeFileSync(join(dir2, 'keep.png'), png(33))
    const including = await watchRun([dir2, '--model', 'kling-v2-6', '--prompt', 'include {file}', '--seconds', '5', '--settle', '0.2', '--existing', 'include'], env, async (out) => {
      await until(() => /keep\.png: queued as job/.test(out()), 20_000)
    })
    expect(including.code).toBe(0)
    expect(including.stderr).not.toMatch(/Skipped/)
    expect(dbJobs(home)).toHaveLength(3)
  }, 120_000)

  it('says on stderr when the folder goes away and when it is watched again', async () => {
    const home = newHome()
    const dir = join(home, 'usb')
    mkdirSync(dir)
    const r = await watchRun([dir, '--model', 'kling-v2-6', '--prompt', 'usb', '--seconds', '5', '--settle', '0.2'], cliEnv(home, fake.url), async (_out, err) => {
      await sleep(300)
      rmSync(dir, { recursive: true, force: true })
      await until(() => /usb cannot be found.*retrying/.test(err()), 20_000)
      mkdirSync(dir)
      // Looked for again every 10 s.
      await until(() => /Watching \S*usb again/.test(err()), 30_000)
    })
    expect(r.code).toBe(0)
  }, 60_000)

  it('Ctrl-C while the model list loads stops before watching or sending anything', async () => {
    const slow = await startFakeCometApi({ latencyMs: { catalog: 4000 } })
    try {
      const home = newHome()
      const dir = join(home, 'in')
      mkdirSync(dir)
      const run = startCli(['watch', dir, '--model', 'kling-v2-6', '--prompt', 'early stop', '--seconds', '5', '--existing', 'include'], cliEnv(home, slow.url))
      writeFileSync(join(dir, 'a.png'), png(40))
      await until(() => slow.log.some((e) => e.kind === 'catalog'), 20_000)
      run.child.kill('SIGINT')
      const done = await run.done
      expect(done.code).toBe(0)
      expect(done.stderr).not.toMatch(/Watching /)
      expect(dbJobs(home)).toHaveLength(0)
      expect(slow.creates()).toHaveLength(0)
    } finally {
      await slow.close()
    }
  }, 60_000)

  it('refuses a missing folder, a model that takes no images and a missing --model, exit 2', async () => {
    const home = newHome()
    const env = cliEnv(home, fake.url)
    const noFolder = await runCli(['watch', join(home, 'nope'), '--model', 'kling-v2-6', '--prompt', 'x'], env)
    expect(noFolder.code).toBe(2)
    expect(noFolder.stderr).toMatch(/cannot be found/)
    mkdirSync(join(home, 'in'))
    const textOnly = await runCli(['watch', join(home, 'in'), '--model', 'wan2.6', '--prompt', 'x'], env)
    expect(textOnly.code).toBe(2)
    expect(textOnly.stderr).toMatch(/does not take images/)
    const noModel = await runCli(['watch', join(home, 'in')], env)
    expect(noModel.code).toBe(2)
    expect(noModel.stderr).toMatch(/--model is required/)
    const help = await runCli(['help'], env)
    expect(help.stdout).toMatch(/comet-video watch FOLDER --model M --prompt P/)
  }, 60_000)
})
