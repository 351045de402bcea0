// Catalog filtering and ordering for the model pickers.
import type { CatalogModel, GenerationMode } from '../shared'

export interface ModelFilter {
  search: string
  vendor: string | null
  mode: GenerationMode | null
}

export function isUsable(model: CatalogModel): boolean {
  return model.available && !model.upcoming
}

export function matchesModel(model: CatalogModel, filter: ModelFilter): boolean {
  if (filter.vendor && model.vendor !== filter.vendor) return false
  if (filter.mode && !model.modes.includes(filter.mode)) return false
  const needle = filter.search.trim().toLowerCase()
  if (!needle) return true
  return needle.split(/\s+/).every((w) => `${model.id} ${model.name} ${model.vendor}`.toLowerCase().includes(w))
}

/**
 * Favourites first, then the recently used (most recent first), then the other usable models, then
 * upcoming/unavailable ones; by vendor and name inside each group.
 */
export function orderModels(models: CatalogModel[], favorites: readonly string[], recent: readonly string[] = []): CatalogModel[] {
  const fav = new Set(favorites)
  const recency = new Map(recent.map((id, i) => [id, i]))
  const rank = (m: CatalogModel): number => (!isUsable(m) ? 3 : fav.has(m.id) ? 0 : recency.has(m.id) ? 1 : 2)
  return [...models].sort(
    (a, b) => rank(a) - rank(b) || (rank(a) === 1 ? recency.get(a.id)! - recency.get(b.id)! : 0) || a.vendor.localeCompare(b.vendor) || a.name.localeCompare(b.name)
  )
}

/** The group a model is listed under in the picker. */
export function modelGroup(model: CatalogModel, favorites: ReadonlySet<string>, recent: ReadonlySet<string>): 'fav' | 'recent' | 'all' | 'off' {
  if (!isUsable(model)) return 'off'
  if (favorites.has(model.id)) return 'fav'
  return recent.has(model.id) ? 'recent' : 'all'
}

/** The distinct models of the newest jobs, most recent first (`models` newest first). */
export function recentModels(models: Iterable<string>, limit = 5): string[] {
  const out: string[] = []
  for (const id of models) {
    if (id && !out.includes(id)) out.push(id)
    if (out.length >= limit) break
  }
  return out
}

export function vendorsOf(models: CatalogModel[]): string[] {
  return [...new Set(models.map((m) => m.vendor))].sort((a, b) => a.localeCompare(b))
}

/** The model the form opens with: the last one used when it still works, else the first usable favourite, else the first usable. */
export function initialModel(models: CatalogModel[], lastModel: string | null, favorites: readonly string[]): CatalogModel | null {
  const usable = models.filter(isUsable)
  return (
    usable.find((m) => m.id === lastModel) ??
    usable.find((m) => favorites.includes(m.id)) ??
    usable[0] ??
    null
  )
}
