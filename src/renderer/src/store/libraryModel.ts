// Paged library list logic: a sparse array as long as the result, filled page by page.
import type { LibraryItem, LibraryQuery, LibrarySort } from '../shared'

export const LIBRARY_PAGE = 100

export interface LibraryFilters {
  search: string
  models: string[]
  vendors: string[]
  /** Inclusive local dates YYYY-MM-DD, '' = open. */
  from: string
  to: string
  favorite: boolean
  /** Only the videos of this batch (opened from the queue's batch header). */
  batchId: string | null
  sort: LibrarySort
}

export const defaultFilters: LibraryFilters = { search: '', models: [], vendors: [], from: '', to: '', favorite: false, batchId: null, sort: 'newest' }

/** Local midnight of a YYYY-MM-DD date; the `to` bound is the next midnight (exclusive). */
export function dayStart(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return undefined
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime()
}

export function queryOf(f: LibraryFilters, page: number): LibraryQuery {
  const q: LibraryQuery = { sort: f.sort, offset: page * LIBRARY_PAGE, limit: LIBRARY_PAGE }
  if (f.search.trim()) q.search = f.search.trim()
  if (f.models.length) q.model = f.models
  if (f.vendors.length) q.vendor = f.vendors
  const from = dayStart(f.from)
  if (from !== undefined) q.from = from
  const to = dayStart(f.to)
  if (to !== undefined) q.to = to + 86_400_000
  if (f.favorite) q.favorite = true
  if (f.batchId) q.batchId = f.batchId
  return q
}

export function pagesFor(start: number, end: number): number[] {
  const pages: number[] = []
  for (let p = Math.floor(Math.max(0, start) / LIBRARY_PAGE); p <= Math.floor(Math.max(0, end) / LIBRARY_PAGE); p++) pages.push(p)
  return pages
}

/** Puts one page's items into the sparse list, resizing it to the reported total. */
export function placePage(items: (LibraryItem | undefined)[], page: number, pageItems: LibraryItem[], total: number): (LibraryItem | undefined)[] {
  const next = items.slice(0, total)
  if (next.length < total) next.length = total
  pageItems.forEach((item, i) => {
    const index = page * LIBRARY_PAGE + i
    if (index < total) next[index] = item
  })
  return next
}

export function replaceItem(items: (LibraryItem | undefined)[], item: LibraryItem): (LibraryItem | undefined)[] {
  const i = items.findIndex((x) => x?.id === item.id)
  if (i < 0) return items
  const next = items.slice()
  next[i] = item
  return next
}

export function activeFilterCount(f: LibraryFilters): number {
  return (f.models.length ? 1 : 0) + (f.vendors.length ? 1 : 0) + (f.from || f.to ? 1 : 0) + (f.favorite ? 1 : 0) + (f.batchId ? 1 : 0)
}
