// Runs the fake CometAPI on its own thread, so timing measured by the server (a request budget)
// is not skewed by the engine under test sharing its event loop.
import { Worker } from 'node:worker_threads'
import type { FakeOptions, FaultConfig, InjectRule, LogEntry } from './types'

export type WorkerMethod =
  | 'log'
  | 'close'
  | 'setOptions'
  | 'setFaults'
  | 'injectOnce'
  | 'clearLog'
  | 'createCountsByPrompt'
  | 'taskIdsByPrompt'
  | 'refuseDownloadsFor'
  | 'revokeKey'
  | 'restoreKey'

type Call = { id: number; method: WorkerMethod; arg?: unknown }

export interface WorkerFake {
  url: string
  log(): Promise<LogEntry[]>
  setOptions(o: Partial<FakeOptions>): Promise<void>
  setFaults(f: FaultConfig | null): Promise<void>
  injectOnce(rule: InjectRule): Promise<void>
  clearLog(): Promise<void>
  createCountsByPrompt(): Promise<Map<string, number>>
  taskIdsByPrompt(prompt: string): Promise<string[]>
  refuseDownloadsFor(ms: number): Promise<void>
  revokeKey(key: string): Promise<void>
  restoreKey(key: string): Promise<void>
  close(): Promise<void>
}

export async function startFakeInWorker(opts: Omit<FakeOptions, 'now'> = {}): Promise<WorkerFake> {
  const worker = new Worker(new URL('./workerBoot.mjs', import.meta.url), { workerData: opts })
  const pending = new Map<number, (v: unknown) => void>()
  let seq = 0
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject)
    worker.once('message', (m: { url: string }) => resolve(m.url))
  })
  worker.on('message', (m: { id?: number; value?: unknown }) => {
    if (m.id !== undefined) {
      pending.get(m.id)?.(m.value)
      pending.delete(m.id)
    }
  })
  const call = (method: WorkerMethod, arg?: unknown): Promise<unknown> =>
    new Promise((resolve) => {
      const id = ++seq
      pending.set(id, resolve)
      worker.postMessage({ id, method, arg } satisfies Call)
    })
  return {
    url,
    log: () => call('log') as Promise<LogEntry[]>,
    setOptions: async (o) => void (await call('setOptions', o)),
    setFaults: async (f) => void (await call('setFaults', f)),
    injectOnce: async (r) => void (await call('injectOnce', r)),
    clearLog: async () => void (await call('clearLog')),
    createCountsByPrompt: () => call('createCountsByPrompt') as Promise<Map<string, number>>,
    taskIdsByPrompt: (prompt) => call('taskIdsByPrompt', prompt) as Promise<string[]>,
    refuseDownloadsFor: async (ms) => void (await call('refuseDownloadsFor', ms)),
    revokeKey: async (key) => void (await call('revokeKey', key)),
    restoreKey: async (key) => void (await call('restoreKey', key)),
    close: async () => {
      await call('close')
      await worker.terminate()
    }
  }
}
