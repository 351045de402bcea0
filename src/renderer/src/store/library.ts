// The library grid's data: the current filters and the pages loaded so far.
import { create } from 'zustand'
import { libraryClient } from '../clients/libraryClient'
import type { LibraryItem } from '../shared'
import { defaultFilters, pagesFor, placePage, queryOf, replaceItem, type LibraryFilters } from './libraryModel'

interface LibraryState {
  filters: LibraryFilters
  items: (LibraryItem | undefined)[]
  total: number | null
  /** How many videos the library holds in all, filters aside (for "0 of 12 videos"). */
  all: number | null
  error: string | null
  facets: { models: string[]; vendors: string[] }
  /** Bumped on every new query so late answers for an old one are dropped. */
  generation: number
  loading: ReadonlySet<number>
  setFilters(patch: Partial<LibraryFilters>): void
  ensure(start: number, end: number): void
  reload(): void
  refreshItems(ids: string[]): Promise<void>
  put(item: LibraryItem): void
  loadFacets(): Promise<void>
}

let facetsInFlight: Promise<void> | null = null
let facetsAgain = false

export const useLibrary = create<LibraryState>((set, get) => ({
  filters: defaultFilters,
  items: [],
  total: null,
  all: null,
  error: null,
  facets: { models: [], vendors: [] },
  generation: 0,
  loading: new Set(),
  setFilters(patch) {
    set((s) => ({ filters: { ...s.filters, ...patch } }))
    get().reload()
  },
  reload() {
    set((s) => ({ generation: s.generation + 1, loading: new Set(), error: null }))
    void loadPage(0, true)
  },
  ensure(start, end) {
    const { total, items, loading } = get()
    if (total === null) return
    for (const page of pagesFor(start, Math.min(end, total - 1))) {
      if (loading.has(page)) continue
      const from = page * 100
      const to = Math.min(total, from + 100)
      let missing = false
      for (let i = from; i < to; i++) {
        if (!items[i]) {
          missing = true
          break
        }
      }
      if (missing) void loadPage(page, false)
    }
  },
  async refreshItems(ids) {
    const { items } = get()
    const shown = ids.filter((id) => items.some((x) => x?.id === id))
    if (ids.length > 20 || shown.length < ids.length) {
      // New or removed items change positions: reload what is loaded, keeping the scroll place.
      const loadedPages = new Set<number>()
      items.forEach((x, i) => {
        if (x) loadedPages.add(Math.floor(i / 100))
      })
      if (loadedPages.size === 0) loadedPages.add(0)
      for (const page of loadedPages) void loadPage(page, page === 0)
      void get().loadFacets()
      return
    }
    for (const id of shown) {
      try {
        const item = await libraryClient.get(id)
        if (item) get().put(item)
        else get().reload()
      } catch {
        // A refresh failing is not worth a toast; the next change retries.
      }
    }
  },
  put(item) {
    set((s) => ({ items: replaceItem(s.items, item) }))
  },
  loadFacets() {
    // One request at a time; changes that arrive meanwhile ask once more when it answers.
    if (facetsInFlight) {
      facetsAgain = true
      return facetsInFlight
    }
    facetsInFlight = (async () => {
      do {
        facetsAgain = false
        try {
          const f = await libraryClient.facets()
          set({ facets: { models: f.models, vendors: f.vendors } })
        } catch {
          // Filters just offer fewer choices.
        }
      } while (facetsAgain)
      facetsInFlight = null
    })()
    return facetsInFlight
  }
}))

async function loadPage(page: number, first: boolean): Promise<void> {
  const { generation, filters } = useLibrary.getState()
  useLibrary.setState((s) => ({ loading: new Set(s.loading).add(page) }))
  try {
    const reply = await libraryClient.list(queryOf(filters, page))
    if (useLibrary.getState().generation !== generation) return
    useLibrary.setState((s) => ({
      items: placePage(first && page === 0 && s.total === null ? [] : s.items, page, reply.items, reply.total),
      total: reply.total,
      error: null
    }))
    if (page === 0) void countAll(filters, reply.total, generation)
  } catch (error) {
    if (useLibrary.getState().generation !== generation) return
    useLibrary.setState({ error: error instanceof Error ? error.message : String(error) })
  } finally {
    useLibrary.setState((s) => {
      const loading = new Set(s.loading)
      loading.delete(page)
      return { loading }
    })
  }
}

/** The library's size with no filter: the answer just given when none is on, else one more count. */
async function countAll(filters: LibraryFilters, shown: number, generation: number): Promise<void> {
  const everything = queryOf({ ...defaultFilters, sort: filters.sort }, 0)
  if (JSON.stringify(queryOf(filters, 0)) === JSON.stringify(everything)) {
    useLibrary.setState({ all: shown })
    return
  }
  try {
    const reply = await libraryClient.list({ ...everything, limit: 1 })
    if (useLibrary.getState().generation === generation) useLibrary.setState({ all: reply.total })
  } catch {
    // The header then shows only what the filters match.
  }
}
