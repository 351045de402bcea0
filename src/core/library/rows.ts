// Library items to and from their SQLite rows.
import type { Lineage, ProviderFamily } from '../../shared/jobs'
import type { LibraryItem, LibraryParams, VideoContainer } from '../../shared/library'
import { promptKey, searchText } from './search'
import { baseNameOnly } from './sidecar'

export interface ItemRow {
  seq: number
  id: string
  job_id: string
  file_name: string
  bytes: number
  sha256: string | null
  container: string
  model: string
  provider: string
  vendor: string | null
  prompt: string
  negative_prompt: string | null
  params: string
  source_images: string
  remote_id: string | null
  parent_id: string | null
  lineage: string | null
  estimated_cost: number | null
  created_at: number
  completed_at: number
  favorite: number
  tags: string
  width: number | null
  height: number | null
  duration_s: number | null
  poster: string | null
  search_text: string
  prompt_key: string
}

export type ItemValues = Omit<ItemRow, 'seq'>

export function rowFromItem(item: LibraryItem): ItemValues {
  return {
    id: item.id,
    job_id: item.jobId,
    file_name: item.fileName,
    bytes: item.bytes,
    sha256: item.sha256,
    container: item.container,
    model: item.model,
    provider: item.provider,
    vendor: item.vendor,
    prompt: item.prompt,
    negative_prompt: item.negativePrompt,
    params: JSON.stringify(item.params),
    source_images: JSON.stringify(item.sourceImages),
    remote_id: item.remoteId,
    parent_id: item.parentId,
    lineage: item.lineage,
    estimated_cost: item.estimatedCost,
    created_at: item.createdAt,
    completed_at: item.completedAt,
    favorite: item.favorite ? 1 : 0,
    tags: JSON.stringify(item.tags),
    width: item.width,
    height: item.height,
    duration_s: item.durationS,
    poster: item.poster,
    search_text: itemSearchText(item),
    prompt_key: promptKey(item.prompt)
  }
}

/** What a library search looks in: the prompts, the model, the tags and the names of the source images. */
export function itemSearchText(item: Pick<LibraryItem, 'prompt' | 'negativePrompt' | 'model' | 'tags' | 'sourceImages'>): string {
  return searchText([item.prompt, item.negativePrompt, item.model, item.tags.join(' '), ...item.sourceImages.map(baseNameOnly)])
}

export function itemFromRow(row: ItemRow): LibraryItem {
  return {
    id: row.id,
    jobId: row.job_id,
    fileName: row.file_name,
    bytes: row.bytes,
    sha256: row.sha256,
    container: row.container as VideoContainer,
    model: row.model,
    provider: row.provider as ProviderFamily,
    vendor: row.vendor,
    prompt: row.prompt,
    negativePrompt: row.negative_prompt,
    params: JSON.parse(row.params) as LibraryParams,
    sourceImages: JSON.parse(row.source_images) as string[],
    remoteId: row.remote_id,
    parentId: row.parent_id,
    lineage: row.lineage as Lineage | null,
    estimatedCost: row.estimated_cost,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    favorite: row.favorite === 1,
    tags: JSON.parse(row.tags) as string[],
    width: row.width,
    height: row.height,
    durationS: row.duration_s,
    poster: row.poster
  }
}
