// The worker side of startFakeInWorker.
import { parentPort, workerData } from 'node:worker_threads'
import { startFakeCometApi } from './server'
import type { WorkerMethod } from './worker'
import type { FakeOptions, FaultConfig, InjectRule } from './types'

const fake = await startFakeCometApi(workerData as FakeOptions)
parentPort!.postMessage({ url: fake.url })
parentPort!.on('message', (m: { id: number; method: WorkerMethod; arg?: unknown }) => {
  void (async () => {
    let value: unknown = null
    if (m.method === 'log') value = fake.log
    else if (m.method === 'setOptions') fake.setOptions(m.arg as Partial<FakeOptions>)
    else if (m.method === 'setFaults') fake.setFaults(m.arg as FaultConfig | null)
    else if (m.method === 'injectOnce') fake.injectOnce(m.arg as InjectRule)
    else if (m.method === 'clearLog') fake.clearLog()
    else if (m.method === 'createCountsByPrompt') value = fake.createCountsByPrompt()
    else if (m.method === 'taskIdsByPrompt') value = fake.taskIdsByPrompt(m.arg as string)
    else if (m.method === 'refuseDownloadsFor') fake.refuseDownloadsFor(m.arg as number)
    else if (m.method === 'revokeKey') fake.revokeKey(m.arg as string)
    else if (m.method === 'restoreKey') fake.restoreKey(m.arg as string)
    else if (m.method === 'close') await fake.close()
    parentPort!.postMessage({ id: m.id, value })
  })()
})
