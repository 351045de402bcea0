// `npm run fake-api -- --port 8787 [--key K] [--duration-ms N] [--fault-429 0.1] …`
// Runs the fake CometAPI for manual testing of the app against a local endpoint.
import { parseArgs } from 'node:util'
import { startFakeCometApi, type FakeOptions, type FaultConfig } from './server'

const USAGE = `Usage: npm run fake-api -- [options]
  --port N                 listen port (default 8787; 0 = random)
  --key K                  a valid API key (repeatable; default sk-test-good)
  --duration-ms N          task duration for every model (default 1500)
  --runway-dialect D       flat | wrapped
  --xai-dialect D          flat | wrapped
  --seedance-case C        upper | lower
  --xai-status-while-pending  pending xAI polls carry a status instead of only request_id
  --transient-not-exist    first Runway/Seedance poll answers task_not_exist
  --result-url-ttl-ms N    lifetime of signed result URLs
  --expired-status N       403 | 404 | 410
  --unknown-path P         redirect | html
  --video-bytes N          serve generated files of N bytes instead of the fixture
  --fault-429 P --retry-after S --fault-5xx P --fault-timeout P --fault-reset P
  --fault-truncate P --fault-error200 P   fault probabilities 0..1
  --fault-create-then P    creates: the task is created, then the answer is ambiguous
                           (5xx, HTML 502, no id, timeout or reset)
  --seed N                 seed for the fault dice`

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${v}`)
  return n
}

function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (v === undefined) return undefined
  if (!(allowed as readonly string[]).includes(v)) throw new Error(`--${name} must be one of ${allowed.join(', ')}`)
  return v as T
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      key: { type: 'string', multiple: true },
      'duration-ms': { type: 'string' },
      'runway-dialect': { type: 'string' },
      'xai-dialect': { type: 'string' },
      'seedance-case': { type: 'string' },
      'xai-status-while-pending': { type: 'boolean' },
      'transient-not-exist': { type: 'boolean' },
      'result-url-ttl-ms': { type: 'string' },
      'expired-status': { type: 'string' },
      'unknown-path': { type: 'string' },
      'video-bytes': { type: 'string' },
      'fault-429': { type: 'string' },
      'retry-after': { type: 'string' },
      'fault-5xx': { type: 'string' },
      'fault-timeout': { type: 'string' },
      'fault-reset': { type: 'string' },
      'fault-truncate': { type: 'string' },
      'fault-error200': { type: 'string' },
      'fault-create-then': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const faults: FaultConfig = {
    rate429: num(values['fault-429'], 'fault-429'),
    retryAfterSeconds: num(values['retry-after'], 'retry-after') ?? null,
    rate5xx: num(values['fault-5xx'], 'fault-5xx'),
    rateTimeout: num(values['fault-timeout'], 'fault-timeout'),
    rateReset: num(values['fault-reset'], 'fault-reset'),
    rateTruncate: num(values['fault-truncate'], 'fault-truncate'),
    rateError200: num(values['fault-error200'], 'fault-error200'),
    rateCreateThenFail: num(values['fault-create-then'], 'fault-create-then')
  }
  const duration = num(values['duration-ms'], 'duration-ms')
  const videoBytes = num(values['video-bytes'], 'video-bytes')
  const expired = oneOf(values['expired-status'], ['403', '404', '410'] as const, 'expired-status')
  const opts: FakeOptions = {
    port: num(values.port, 'port'),
    keys: values.key,
    durations: duration === undefined ? undefined : { '*': duration },
    runwayDialect: oneOf(values['runway-dialect'], ['flat', 'wrapped'] as const, 'runway-dialect'),
    xaiDialect: oneOf(values['xai-dialect'], ['flat', 'wrapped'] as const, 'xai-dialect'),
    seedanceCase: oneOf(values['seedance-case'], ['upper', 'lower'] as const, 'seedance-case'),
    xaiRequestIdOnlyWhilePending: values['xai-status-while-pending'] ? false : undefined,
    transientNotExist: values['transient-not-exist'],
    resultUrlTtlMs: num(values['result-url-ttl-ms'], 'result-url-ttl-ms'),
    expiredStatus: expired === undefined ? undefined : (Number(expired) as 403 | 404 | 410),
    unknownPath: oneOf(values['unknown-path'], ['redirect', 'html'] as const, 'unknown-path'),
    videoBytes: videoBytes === undefined ? undefined : { '*': videoBytes },
    faults,
    seed: num(values.seed, 'seed')
  }
  const fake = await startFakeCometApi(opts)
  console.log(`Fake CometAPI listening on ${fake.url}`)
  console.log(`Valid API key${(opts.keys?.length ?? 1) > 1 ? 's' : ''}: ${(opts.keys ?? ['sk-test-good']).join(', ')}`)
  const stop = (): void => {
    void fake.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err))
  console.error(USAGE)
  process.exit(2)
})
