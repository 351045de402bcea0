// The key goes only where the person sent it: https (plain http only to this computer), a new
// origin only after they confirm it by name, never from an environment variable into a packaged
// app's window.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/app/dispatch'
import { createHandlers } from '../../src/app/handlers'
import { rendererUrl } from '../../src/app/securityPolicy'
import { baseUrlProblem } from '../../src/core/http/baseUrl'
import { CometClient } from '../../src/core/http/cometClient'
import { RequestBudget } from '../../src/core/http/requestBudget'
import type { HttpTransport } from '../../src/core/http/transport'
import { silentLogger, systemClock } from '../../src/core/ports'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { makeStudio, type StudioRig } from '../torture/helpers'

describe('the base URL rule', () => {
  it('allows https anywhere and http only to this computer', () => {
    for (const ok of ['https://api.cometapi.com', 'https://gateway.example.org:8443', 'http://127.0.0.1:8787', 'http://localhost:3000', 'http://[::1]:9000']) {
      expect({ ok, problem: baseUrlProblem(ok) }).toEqual({ ok, problem: null })
    }
    for (const bad of ['http://api.cometapi.com', 'http://127.0.0.1.evil.example', 'http://10.0.0.5', 'ftp://api.cometapi.com', 'file:///etc/passwd', 'https://user:pass@api.cometapi.com', 'not a url']) {
      expect({ bad, refused: baseUrlProblem(bad) !== null }).toEqual({ bad, refused: true })
    }
    expect(baseUrlProblem('http://api.cometapi.com')?.text).toMatch(/must start with https:\/\/ \(plain http:\/\/ only to this computer/)
  })

  it('the client never sends the key to a base URL that breaks the rule, however it got there', async () => {
    let sent = 0
    const transport: HttpTransport = async () => {
      sent++
      throw new Error('must not be called')
    }
    const client = new CometClient({ baseUrl: () => 'http://api.cometapi.com', keys: { getKey: async () => 'sk-secret-1234' }, transport, clock: systemClock, budget: new RequestBudget(systemClock, 10), logger: silentLogger })
    await expect(client.call({ method: 'GET', path: '/v1/models' }, { cls: 'urgent', action: 'other' })).rejects.toMatchObject({ kind: 'bad_base_url' })
    await expect(client.authorizedSource('/v1/videos/x/content')).rejects.toMatchObject({ kind: 'bad_base_url' })
    expect(sent).toBe(0)
  })
})

describe('changing the base URL from the app', () => {
  let fake: FakeCometApi
  let dir: string
  let rig: StudioRig
  beforeAll(async () => {
    fake = await startFakeCometApi()
    dir = mkdtempSync(join(tmpdir(), 'cvs-baseurl-'))
    rig = makeStudio(dir, fake.url)
  })
  afterAll(async () => {
    await rig.studio.stop()
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('a new origin needs the person to confirm that host; a path on the same origin does not', async () => {
    const handlers = createHandlers(rig.studio)
    const before = rig.studio.engine.settings.baseUrl
    const silent = await dispatch(handlers, 'settings.update', { baseUrl: 'https://other-gateway.example' }, silentLogger)
    expect(silent).toMatchObject({ ok: false, error: { code: 'UserError', messageCode: 'baseUrl.confirm', params: { host: 'other-gateway.example' } } })
    expect(rig.studio.engine.settings.baseUrl).toBe(before)
    const wrong = await dispatch(handlers, 'settings.update', { baseUrl: 'https://other-gateway.example', confirmOrigin: 'https://somewhere-else.example' }, silentLogger)
    expect(wrong.ok).toBe(false)
    expect(rig.studio.engine.settings.baseUrl).toBe(before)
    const plain = await dispatch(handlers, 'settings.update', { baseUrl: 'http://api.cometapi.com', confirmOrigin: 'http://api.cometapi.com' }, silentLogger)
    expect(plain).toMatchObject({ ok: false, error: { messageCode: 'baseUrl.rule' } })
    const samePlace = await dispatch(handlers, 'settings.update', { baseUrl: `${before}/v1` }, silentLogger)
    expect(samePlace.ok).toBe(true)
    const confirmed = await dispatch(handlers, 'settings.update', { baseUrl: 'https://other-gateway.example', confirmOrigin: 'https://other-gateway.example' }, silentLogger)
    expect(confirmed.ok).toBe(true)
    expect(rig.studio.engine.settings.baseUrl).toBe('https://other-gateway.example')
  })
})

describe('the page a window loads', () => {
  const bundledFile = '/opt/Comet Video Studio/resources/app.asar/out/renderer/index.html'
  it('is always the bundled file in a packaged app, whatever ELECTRON_RENDERER_URL says', () => {
    const bundled = new URL(`file://${bundledFile}`).href
    expect(rendererUrl({ isPackaged: true, devServerUrl: 'http://127.0.0.1:5173/', bundledFile })).toBe(bundled)
    expect(rendererUrl({ isPackaged: true, devServerUrl: 'https://evil.example/', bundledFile })).toBe(bundled)
    // A development run uses the dev server, but only on this computer.
    expect(rendererUrl({ isPackaged: false, devServerUrl: 'http://localhost:5173/', bundledFile })).toBe('http://localhost:5173/')
    expect(rendererUrl({ isPackaged: false, devServerUrl: 'https://evil.example/', bundledFile })).toBe(bundled)
    expect(rendererUrl({ isPackaged: false, devServerUrl: undefined, bundledFile })).toBe(bundled)
  })
})
