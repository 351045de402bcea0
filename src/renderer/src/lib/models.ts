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

/** Favourites first, then usable models, then upcoming/unavailable; by vendor and name inside each. */
export function orderModels(models: CatalogModel[], favorites: readonly string[]): CatalogModel[] {
  const fav = new Set(favorites)
  const rank = (m: CatalogModel): number => (fav.has(m.id) && isUsable(m) ? 0 : isUsable(m) ? 1 : 2)
  return [...models].sort(
    (a, b) => rank(a) - rank(b) || a.vendor.localeCompare(b.vendor) || a.name.localeCompare(b.name)
  )
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
