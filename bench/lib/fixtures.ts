// Data at scale for the benchmarks: library items with realistic prompts (English and Chinese),
// jobs in every settled state, and a studio.db holding both — built once and cached under
// bench/.work (keyed by the schema, so a new migration builds a new one).
import { msg } from '../../src/shared/messages'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../../src/core/db/database'
import { JobStore } from '../../src/core/jobs/jobStore'
import { rowFromItem } from '../../src/core/library/rows'
import type { JobState, ProviderFamily } from '../../src/shared/jobs'
import type { LibraryItem } from '../../src/shared/library'
import { ROOT, WORK } from './proc'
import { prng } from './stats'

const EN = ('a paper airplane glides over the city at dusk cinematic drone shot slow motion golden hour ocean waves ' +
  'crash on rocks neon cyberpunk street rain reflections cat dog running through forest mountain snow sunrise ' +
  'portrait close up macro lens shallow depth of field astronaut floating in space station robot dancing ' +
  'tokyo alley lanterns vintage film grain anime style watercolor painting dragon flying above castle clouds').split(' ')
const ZH = '一只纸飞机在黄昏时分飞过城市上空电影感无人机镜头慢动作海浪拍打岩石霓虹灯赛博朋克街道雨夜倒影猫狗在森林里奔跑宇航员漂浮太空站机器人跳舞'
export const MODELS: [string, ProviderFamily, string][] = [
  ['sora-2', 'openai-videos', 'OpenAI'], ['sora-2-pro', 'openai-videos', 'OpenAI'], ['veo3.1', 'openai-videos', 'Google'],
  ['kling-v2-6', 'kling', 'Kling'], ['gen4_turbo', 'runway', 'Runway'], ['grok-imagine-video', 'xai', 'xAI'],
  ['doubao-seedance-1-0-pro', 'openai-videos', 'ByteDance'], ['wan2.5-t2v', 'openai-videos', 'Alibaba']
]
const TAGS = ['client-a', 'draft', 'keeper', 'b-roll', 'ad', '参考']
export const T_BASE = 1_700_000_000_000

/** Item i of a deterministic library: one in ten prompts Chinese, 5 % favorites, 20 % tagged. */
export function libraryItem(i: number, poster: string | null = null): LibraryItem {
  const rnd = prng(i * 7919 + 13)
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]
  const [model, provider, vendor] = pick(MODELS)
  let prompt = ''
  if (i % 10 === 0) for (let k = 0; k < 30 + rnd() * 40; k++) prompt += ZH[Math.floor(rnd() * ZH.length)]
  else prompt = Array.from({ length: 15 + Math.floor(rnd() * 30) }, () => pick(EN)).join(' ')
  const t = T_BASE + i * 60_000
  return {
    id: `item-${i}`, jobId: `job-${i}`, fileName: `v/${i}.mp4`, bytes: Math.floor(rnd() * 80e6), sha256: null,
    container: 'mp4', model, provider, vendor, prompt, negativePrompt: i % 3 === 0 ? 'blurry, low quality' : null,
    params: { seconds: 8, size: '1280x720' }, sourceImages: [], remoteId: `r-${i}`, parentId: null, lineage: null,
    estimatedCost: 0.4, createdAt: t - 100_000, completedAt: t, favorite: rnd() < 0.05,
    tags: rnd() < 0.2 ? [pick(TAGS)] : [], width: 1280, height: 720, durationS: 8, poster
  }
}

/** Settled states only (nothing a starting engine would send): what a long-used queue holds. */
function jobState(i: number): JobState {
  const r = i % 100
  if (r < 85) return 'completed'
  if (r < 92) return 'failed'
  if (r < 97) return 'canceled'
  return 'held'
}

export interface StudioDbOptions {
  items: number
  jobs: number
  /** Every item gets this poster path (relative to the library root). */
  poster?: string | null
  /** This many of the jobs are `running` with a remote id (a starting engine tracks them). */
  running?: number
}

function schemaKey(o: StudioDbOptions): string {
  const h = createHash('sha256')
  for (const f of ['src/core/db/migrations.ts', 'src/core/jobs/schema.ts', 'src/core/library/schema.ts', 'src/core/library/rows.ts', 'src/core/library/search.ts', 'bench/lib/fixtures.ts']) {
    h.update(readFileSync(join(ROOT, f)))
  }
  h.update(JSON.stringify(o))
  return h.digest('hex').slice(0, 12)
}

/** Inserts `n` library items the way the index holds them (rowFromItem), in one transaction. */
export function insertItems(db: ReturnType<typeof openDatabase>, n: number, poster: string | null = null, from = 0): void {
  const cols = Object.keys(rowFromItem(libraryItem(0)))
  const ins = db.prepare(`INSERT INTO library_items (${cols.join(',')}) VALUES (${cols.map((c) => '@' + c).join(',')})`)
  db.transaction(() => {
    for (let i = from; i < from + n; i++) ins.run(rowFromItem(libraryItem(i, poster)))
  })()
}

/** Inserts `n` jobs through JobStore.insert (the engine's own path), in one transaction. */
export function insertJobs(db: ReturnType<typeof openDatabase>, n: number, running = 0): void {
  const store = new JobStore(db, () => '/library', join)
  const now = T_BASE + 200_000 * 60_000
  store.transaction(() => {
    for (let i = 0; i < n; i++) {
      const [model, provider, vendor] = MODELS[i % MODELS.length]
      const item = libraryItem(i)
      const state: JobState = i < running ? 'running' : jobState(i)
      const id = `job-${String(i).padStart(6, '0')}`
      store.insert({
        id, batchId: `batch-${Math.floor(i / 50)}`, parentId: null, lineage: null, model, provider, vendor,
        spec: { model, prompt: item.prompt, seconds: 8, size: '1280x720' }, state, externalId: `cvs-${id}`, keyId: 'default',
        estimatedCost: 0.4, note: state === 'held' ? msg('held.overCap', { estimate: '0.40', total: '12.40', cap: '12.00' }) : null, createdAt: now - (n - i) * 30_000
      })
    }
    db.prepare(`UPDATE jobs SET progress = 100, submitted_at = created_at + 2000, completed_at = created_at + 90000, remote_id = 'r-' || id WHERE state = 'completed'`).run()
    db.prepare(`UPDATE jobs SET error = '{"kind":"provider_failed","message":"The provider could not make this video.","retryable":true}', submitted_at = created_at + 2000, remote_id = 'r-' || id WHERE state = 'failed'`).run()
    db.prepare(`UPDATE jobs SET progress = 40, submitted_at = ?, remote_id = 'r-' || id WHERE state = 'running'`).run(now - 30_000)
  })
}

/**
 * Path of a fresh copy of a studio.db with `items` library items and `jobs` jobs, at `dest`.
 * The first call builds it (tens of seconds for 100,000 items) and caches it in bench/.work/db.
 */
export function studioDb(dest: string, o: StudioDbOptions): { path: string; built: boolean; buildMs: number } {
  const dir = join(WORK, 'db')
  mkdirSync(dir, { recursive: true })
  const cached = join(dir, `studio-${o.items}-${o.jobs}-${schemaKey(o)}.db`)
  let built = false
  let buildMs = 0
  if (!existsSync(cached)) {
    const t = Date.now()
    const tmp = `${cached}.building`
    for (const s of ['', '-wal', '-shm']) rmSync(tmp + s, { force: true })
    const db = openDatabase(tmp)
    insertItems(db, o.items, o.poster ?? null)
    insertJobs(db, o.jobs, o.running ?? 0)
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    for (const s of ['-wal', '-shm']) rmSync(tmp + s, { force: true })
    renameSync(tmp, cached)
    built = true
    buildMs = Date.now() - t
  }
  mkdirSync(join(dest, '..'), { recursive: true })
  for (const s of ['-wal', '-shm']) rmSync(dest + s, { force: true })
  copyFileSync(cached, dest)
  return { path: dest, built, buildMs }
}
