import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fromSidecar, parseSidecar, sidecarPathFor, toSidecar, writeSidecarSync } from '../../src/core/library/sidecar'
import type { LibraryItem } from '../../src/shared/library'

const item: LibraryItem = {
  id: 'id-1', jobId: 'job-1', fileName: 'Projects/2026-11-24 1432 sora-2 x-0001.mp4', bytes: 42, sha256: null, container: 'mp4',
  model: 'sora-2', provider: 'openai-videos', vendor: 'OpenAI', prompt: '提示 prompt', negativePrompt: null,
  params: { seconds: 8, seed: 7, params: { camera: 'dolly', loop: true } }, sourceImages: ['/home/me/private/ref.png'],
  remoteId: 'video_1', parentId: null, lineage: null, estimatedCost: null, createdAt: 1, completedAt: 2, favorite: true,
  tags: ['a'], width: 1280, height: 720, durationS: 8, poster: null
}

let dir = ''
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('sidecar', () => {
  it('round-trips an item, keeping only base names of source images', () => {
    const sc = toSidecar(item)
    expect(sc.file).toBe('2026-11-24 1432 sora-2 x-0001.mp4')
    expect(sc.sourceImages).toEqual(['ref.png'])
    const parsed = parseSidecar(JSON.stringify(sc))
    expect(parsed.ok).toBe(true)
    if (parsed.ok) expect(fromSidecar(parsed.sidecar, 'Projects')).toEqual({ ...item, sourceImages: ['ref.png'] })
  })

  it('names the sidecar after the video', () => {
    expect(sidecarPathFor('/lib/a b.mp4')).toBe('/lib/a b.json')
    expect(sidecarPathFor('/lib/a.b.webm')).toBe('/lib/a.b.json')
  })

  it('reports invalid, foreign and future sidecars distinctly', () => {
    expect(parseSidecar('{')).toMatchObject({ ok: false, foreign: false })
    expect(parseSidecar('{"name":"x"}')).toMatchObject({ ok: false, foreign: true })
    expect(parseSidecar('[]')).toMatchObject({ ok: false, foreign: true })
    expect(parseSidecar(JSON.stringify({ ...toSidecar(item), version: 2 }))).toMatchObject({ ok: false, reason: /version 2/ })
    expect(parseSidecar(JSON.stringify({ ...toSidecar(item), container: 'avi' }))).toMatchObject({ ok: false, reason: /container/ })
  })

  it('writes atomically and leaves no temp file behind', () => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-sc-'))
    const path = join(dir, 'v.json')
    writeSidecarSync(path, toSidecar(item))
    writeSidecarSync(path, toSidecar({ ...item, favorite: false }))
    expect(readdirSync(dir)).toEqual(['v.json'])
    const text = readFileSync(path, 'utf8')
    expect(JSON.parse(text)).toMatchObject({ format: 'comet-video-studio/sidecar', version: 1, favorite: false })
    expect(text).not.toMatch(/https?:|\/home\//)
  })
})
