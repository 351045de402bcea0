// What the library grid and the player can do with a finished video. Each reports its outcome as a toast.
import { libraryClient } from '../../clients/libraryClient'
import { t } from '../../i18n'
import type { LibraryItem } from '../../shared'
import { confirmDialog, promptDialog } from '../../store/dialogs'
import { useLibrary } from '../../store/library'
import { forgetSelected } from '../../store/librarySelection'
import { forgetLibraryItems } from '../../store/mediaCache'
import { toastError, toastSuccess } from '../../store/toasts'

export async function setFavorite(item: LibraryItem, favorite: boolean): Promise<LibraryItem | null> {
  useLibrary.getState().put({ ...item, favorite })
  const updated = await libraryClient.favorite(item.id, favorite)
  useLibrary.getState().put(updated ?? item)
  return updated
}

export async function deleteItem(item: LibraryItem): Promise<boolean> {
  const ok = await confirmDialog({
    title: t('library.deleteTitle'),
    body: t('library.deleteBody', { prompt: item.prompt.length > 80 ? `${item.prompt.slice(0, 80)}…` : item.prompt || item.fileName }),
    confirmLabel: t('library.deleteConfirm'),
    danger: true,
    testId: 'delete-dialog'
  })
  if (!ok) return false
  const done = await libraryClient.delete(item.id)
  if (!done) return false
  forgetLibraryItems([item.id])
  forgetSelected([item.id])
  toastSuccess(t('library.deleted'))
  useLibrary.getState().reload()
  return true
}

export function showItemInFolder(item: LibraryItem): void {
  void libraryClient.showInFolder(item.id)
}

/** Favourites (or unfavourites) many at once; the grid refreshes from main's change event. */
export async function setFavoriteMany(ids: string[], favorite: boolean): Promise<boolean> {
  const changed = await libraryClient.favoriteMany(ids, favorite)
  if (changed === null) return false
  toastSuccess(t(favorite ? 'library.favoritedMany' : 'library.unfavoritedMany', { count: ids.length }))
  useLibrary.getState().reload()
  return true
}

/** Asks for tags (comma separated) and adds them to every selected video. */
export async function tagMany(ids: string[]): Promise<boolean> {
  const value = await promptDialog({
    title: t('library.tagTitle', { count: ids.length }),
    body: t('library.tagBody'),
    label: t('library.tagLabel'),
    confirmLabel: t('library.tagConfirm'),
    testId: 'tag-dialog'
  })
  const tags = [...new Set((value ?? '').split(/[,，]/).map((x) => x.trim()).filter(Boolean))].slice(0, 50)
  if (!tags.length) return false
  const changed = await libraryClient.tagMany(ids, tags)
  if (changed === null) return false
  toastSuccess(t('library.taggedMany', { count: ids.length, tags: tags.join(', ') }))
  useLibrary.getState().reload()
  return true
}

/** Asks once, then moves every selected video (with its sidecar) to the OS trash. */
export async function deleteMany(ids: string[]): Promise<boolean> {
  const ok = await confirmDialog({
    title: t('library.deleteManyTitle', { count: ids.length }),
    body: t('library.deleteManyBody'),
    confirmLabel: t('library.deleteManyConfirm', { count: ids.length }),
    danger: true,
    testId: 'delete-many-dialog'
  })
  if (!ok) return false
  const reply = await libraryClient.deleteMany(ids)
  if (!reply) return false
  forgetLibraryItems(ids)
  if (reply.deleted) toastSuccess(t('library.deletedMany', { count: reply.deleted }))
  reportFailures(reply.failed.map((f) => t('library.deleteManyFailed', { name: f.name, detail: f.detail })))
  useLibrary.getState().reload()
  return true
}

/** Main asks for a folder and copies the videos with their sidecars (and posters) there, never overwriting. */
export async function exportMany(ids: string[]): Promise<void> {
  const reply = await libraryClient.exportMany(ids)
  if (!reply) return
  if (reply.copied) toastSuccess(t('library.exported', { count: reply.copied, folder: reply.folder }))
  else toastError(t('library.exportNothing', { folder: reply.folder }))
  reportFailures(reply.failed.map((f) => t('library.exportFailed', { name: f.name, why: t(`library.exportWhy.${f.code}`, { detail: f.detail }) })))
}

/** The first few failures each in their own words, then one line for the rest (never a toast per file of a thousand). */
function reportFailures(lines: string[]): void {
  const SHOWN = 3
  for (const line of lines.slice(0, SHOWN)) toastError(line)
  if (lines.length > SHOWN) toastError(t('library.moreFailed', { count: lines.length - SHOWN }))
}

/** "Save a copy as…": main's save dialog, then a copy of the video there. */
export async function saveCopy(item: LibraryItem): Promise<void> {
  const path = await libraryClient.saveCopy(item.id)
  if (path) toastSuccess(t('player.savedCopy', { path }))
}

export function openLibraryFolder(): void {
  void libraryClient.openFolder()
}
