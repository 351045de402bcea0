// A proxy failure that would repeat identically (an unusable address in the environment, a 407
// from the environment's proxy that no setting here can answer) pauses new work with a proxy
// sentence instead of cycling; the create is never sent, and fixing the setting resumes it.
// The proxy's password shows nowhere: not in the pause, the job's note, the log or the status.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineOptions } from '../../src/core/engine'
import { environmentProxies } from '../../src/core/http/proxyEnv'
import { type CountingProxy, startHttpProxy } from '../helpers/proxies'
import { createOne, harness, settle, sora, until, type Harness } from './harness'

let h: Harness | undefined
let proxy: CountingProxy

const VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']

function withEnv(vars: Record<string, string>): Partial<EngineOptions> {
  for (const v of VARS) vi.stubEnv(v, '')
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v)
  return { proxy: { environment: environmentProxies(process.env) } }
}

beforeEach(async () => {
  proxy = await startHttpProxy()
})
afterEach(async () => {
  vi.unstubAllEnvs()
  await h?.cleanup()
  h = undefined
  await proxy.close()
})

describe('a proxy failure that would repeat identically', () => {
  it('an unusable HTTP_PROXY (its password holds / and @): new work pauses, nothing is sent, the password shows nowhere', async () => {
    h = await harness({}, withEnv({ HTTP_PROXY: 'http://ann:pa/ss@w0rd@proxy:99999' }))
    h.engine.start()
    const id = await createOne(h.engine, sora('behind a broken proxy'))
    await until(() => h!.engine.status().paused?.kind === 'proxy', 15_000)
    const paused = h.engine.status().paused!
    expect(paused.code).toBe('proxy.invalid')
    expect(paused.message).toContain('http://proxy:99999')
    await new Promise((r) => setTimeout(r, 800))
    expect(h.engine.getJob(id)).toMatchObject({ state: 'queued', error: null })
    expect(h.fake.creates()).toHaveLength(0)
    const seen = JSON.stringify([h.logs, h.engine.listJobs(), h.engine.status()])
    for (const secret of ['pa/ss', 'w0rd', 'ann:']) expect(seen).not.toContain(secret)
  }, 30_000)

  it('a 407 from the environment’s proxy: paused with proxy.authPaused, then the setting changes and the job completes, created once', async () => {
    proxy.requireAuth({ username: 'ann', password: 'needed' })
    h = await harness({}, withEnv({ HTTP_PROXY: proxy.url }))
    h.engine.start()
    const id = await createOne(h.engine, sora('env proxy wants a password'))
    await until(() => h!.engine.status().paused?.kind === 'proxy', 15_000)
    expect(h.engine.status().paused).toMatchObject({ code: 'proxy.authPaused', params: { proxy: `127.0.0.1:${proxy.port}`, source: 'environment' } })
    const refusedThen = proxy.refused.length
    await new Promise((r) => setTimeout(r, 800))
    // Paused: no more attempts at the proxy.
    expect(proxy.refused.length).toBe(refusedThen)
    expect(h.fake.creates()).toHaveLength(0)
    // What ProxyService.set does: the new setting, then resume.
    h.engine.updateSettings({ proxy: { mode: 'none', type: 'http', host: '', port: 8080 } })
    h.engine.resume()
    const [job] = await settle(h.engine, [id], 30_000)
    expect(job.state).toBe('completed')
    expect(h.fake.createCountsByPrompt().get('env proxy wants a password')).toBe(1)
  }, 60_000)
})
