// `comet-video` as the CLI tests run it: the real entry point with short waits for the fast fake
// CometAPI. The knobs are read here, in test code; the product CLI has no such flags.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../../src/cli/index.ts')
const prior = Number(process.env.CVS_TEST_PRIOR_SECONDS)
const scale = Number(process.env.CVS_TEST_WAIT_SCALE)
const fast = Number.isFinite(prior) && prior > 0
main({
  timing: {
    priorSeconds: fast ? () => prior : undefined,
    poll: fast ? { minIntervalMs: Math.max(100, prior * 100), maxIntervalMs: Math.max(1000, prior * 2000) } : undefined,
    waitScale: Number.isFinite(scale) && scale > 0 ? scale : undefined
  }
})
