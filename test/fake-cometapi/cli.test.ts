// The `npm run fake-api` entry point starts a server and prints where and with which key.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url))

it('starts, prints the URL and key, and applies flags', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--key', 'sk-cli', '--duration-ms', '0', '--xai-dialect', 'wrapped'], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  try {
    const out = await new Promise<string>((resolve, reject) => {
      let buf = ''
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString()
        if (/Valid API key/.test(buf)) resolve(buf)
      })
      child.on('exit', (code) => reject(new Error(`cli exited ${code}: ${buf}`)))
    })
    const url = /Fake CometAPI listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]
    expect(url).toBeDefined()
    expect(out).toContain('sk-cli')
    const headers = { Authorization: 'Bearer sk-cli', 'Content-Type': 'application/json' }
    const c = (await (await fetch(`${url}/grok/v1/videos/generations`, { method: 'POST', headers, body: JSON.stringify({ prompt: 'cli' }) })).json()) as { request_id: string }
    const p = (await (await fetch(`${url}/grok/v1/videos/${c.request_id}`, { headers })).json()) as { code: string; data: { status: string } }
    expect(p).toMatchObject({ code: 'success', data: { status: 'SUCCESS' } })
  } finally {
    child.kill('SIGTERM')
  }
}, 20_000)
