// The model a new batch, or a watched folder's recipe, starts with.
import { isUsable } from '../../lib/models'
import { useApp } from '../../store/app'

/** The model a new batch starts with: the last model used when it takes images, else the first that does. */
export function defaultBatchModel(): string | null {
  const { catalog, settings } = useApp.getState()
  const i2v = catalog.models.filter((m) => isUsable(m) && m.modes.includes('image-to-video') && m.rules.images.max > 0)
  const last = i2v.find((m) => m.id === settings?.lastModel)
  const fav = i2v.find((m) => settings?.favoriteModels.includes(m.id))
  return (last ?? fav ?? i2v[0])?.id ?? null
}
