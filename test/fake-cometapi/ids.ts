// Id formats copied from the documented examples (API.md §9), so clients that sniff ids keep working.
import { randomBytes, randomInt, randomUUID } from 'node:crypto'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function alnum(n: number): string {
  let out = ''
  for (let i = 0; i < n; i++) out += ALNUM[randomInt(ALNUM.length)]
  return out
}

function digits(n: number): string {
  let out = String(1 + randomInt(9))
  for (let i = 1; i < n; i++) out += String(randomInt(10))
  return out
}

/** Sora: `video_` + 32 hex. */
export const soraId = (): string => `video_${randomBytes(16).toString('hex')}`
/** Other `/v1/videos` models: `task_` + 32 alnum. */
export const taskId = (): string => `task_${alnum(32)}`
/** Runway, xAI. */
export const uuid = (): string => randomUUID()
/** Kling: an 18–19 digit numeric string. */
export const klingId = (): string => digits(18 + randomInt(2))
/** Volcengine legacy: `021` + digits. */
export const volcId = (): string => `021${digits(18)}`
/** The hex id CometAPI embeds in error messages as `(request id: …)`. */
export const requestId = (): string => randomBytes(16).toString('hex')
