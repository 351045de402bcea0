// Runs the browser test host as its own process, so tests can kill and restart it.
//   tsx test/browser/host/cli.ts --data DIR --api URL --drop DIR [--port N] [--prior S]
import { parseArgs } from 'node:util'
import { startHost } from './host'

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    api: { type: 'string' },
    drop: { type: 'string' },
    port: { type: 'string' },
    prior: { type: 'string' },
    locale: { type: 'string' },
    folder: { type: 'string' }
  }
})
if (!values.data || !values.api || !values.drop) {
  console.error('usage: cli.ts --data DIR --api URL --drop DIR [--port N] [--prior S] [--locale L]')
  process.exit(2)
}
const host = await startHost({
  dataDir: values.data,
  apiUrl: values.api,
  dropRoot: values.drop,
  port: values.port ? Number(values.port) : 0,
  priorSeconds: values.prior ? Number(values.prior) : undefined,
  systemLocale: values.locale,
  chooseFolderResult: values.folder ?? null,
  logger: { log: (level, message) => level !== 'debug' && console.error(`[${level}] ${message}`) }
})
console.log(`ready ${host.url}`)
const stop = (): void => {
  void host.close().finally(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
