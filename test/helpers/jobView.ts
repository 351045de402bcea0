// A JobView as the engine sends it, for renderer tests: queued, unsent, with `patch` on top.
import type { JobView } from '../../src/shared/jobs'

export function jobView(id: string, createdAt: number, patch: Partial<JobView> = {}): JobView {
  return {
    id,
    batchId: null,
    parentId: null,
    lineage: null,
    model: 'sora-2',
    provider: 'openai-videos',
    vendor: 'OpenAI',
    spec: { model: 'sora-2', prompt: `prompt ${id}` },
    state: 'queued',
    progress: null,
    downloadedBytes: 0,
    downloadTotal: null,
    remoteId: null,
    billed: false,
    externalId: id,
    keyId: 'default',
    estimatedCost: 0.32,
    error: null,
    note: null,
    noteCode: null,
    noteParams: null,
    file: null,
    libraryItemId: null,
    createdAt,
    updatedAt: createdAt,
    submittedAt: null,
    completedAt: null,
    etaAt: null,
    ...patch
  }
}
