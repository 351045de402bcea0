import { describe, expect, it } from 'vitest'
import { generationProgress } from '../../src/renderer/src/features/queue/progressModel'
import type { JobView } from '../../src/shared/jobs'

const T0 = 1_800_000_000_000

function running(patch: Partial<JobView>): JobView {
  return {
    id: 'j1', batchId: null, parentId: null, lineage: null, model: 'kling-v2-6', provider: 'kling', vendor: 'Kling',
    spec: { model: 'kling-v2-6', prompt: 'p' }, state: 'running', progress: null, downloadedBytes: 0, downloadTotal: null,
    remoteId: 'r1', billed: true, externalId: 'cvs-1', keyId: 'default', estimatedCost: 0.3, error: null, note: null, noteCode: null, noteParams: null,
    file: null, libraryItemId: null, createdAt: T0, updatedAt: T0, submittedAt: T0 + 2000, completedAt: null, etaAt: T0 + 2000 + 114_000, typicalMs: 114_000,
    ...patch
  }
}

describe('what a row says about a video being made', () => {
  it('a family that reports no progress: no percent, no countdown, the elapsed time and the typical duration', () => {
    expect(generationProgress(running({}), T0 + 2000 + 18_000)).toEqual({ percent: null, elapsedMs: 18_000, typicalMs: 114_000, leftMs: null })
  })

  it('a family that reports progress: its percent and the time left', () => {
    expect(generationProgress(running({ progress: 40 }), T0 + 2000 + 18_000)).toEqual({ percent: 40, elapsedMs: 18_000, typicalMs: 114_000, leftMs: 96_000 })
  })

  it('a task running longer than usual still says how long such a video usually takes (not the time so far)', () => {
    const late = running({ etaAt: T0 + 2000 + 300_000 })
    expect(generationProgress(late, T0 + 2000 + 300_000)).toMatchObject({ elapsedMs: 300_000, typicalMs: 114_000 })
  })

  it('before the provider took it, the elapsed time counts from the send and nothing is predicted', () => {
    expect(generationProgress(running({ state: 'submitting', remoteId: null, submittedAt: null, etaAt: null, typicalMs: null }), T0 + 5000)).toEqual({ percent: null, elapsedMs: 5000, typicalMs: null, leftMs: null })
  })
})
