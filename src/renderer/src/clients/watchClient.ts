// The watch.* channels and their event: watched folders, their recipes and their files' outcomes.
import { attempt, invoke, onEvent } from '../api'
import type { WatchExisting, WatchFolderView, WatchRecipe } from '../shared'

export const watchClient = {
  list: () => invoke('watch.list', {}, { quiet: true }),
  /** `path` must come from the folder dialog (settingsClient.chooseFolder); a failure is toasted and resolves null. */
  add: (path: string, recipe: WatchRecipe, existing: WatchExisting) => attempt('watch.add', { path, recipe, existing }),
  /** How many images the chosen folder already holds; a failure is toasted and resolves null. */
  inspect: (path: string) => attempt('watch.inspect', { path }),
  remove: (id: string) => attempt('watch.remove', { id }),
  setPaused: (id: string, paused: boolean) => attempt('watch.pause', { id, paused }),
  onChanged: (listener: (folders: WatchFolderView[]) => void) => onEvent('watch.changed', listener)
}
