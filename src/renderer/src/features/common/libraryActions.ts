// What the library grid and the player can do with a finished video. Each reports its outcome as a toast.
import { libraryClient } from '../../clients/libraryClient'
import { t } from '../../i18n'
import type { LibraryItem } from '../../shared'
import { confirmDialog } from '../../store/dialogs'
import { useLibrary } from '../../store/library'
import { forgetLibraryItems } from '../../store/mediaCache'
import { toastSuccess } from '../../store/toasts'

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
  toastSuccess(t('library.deleted'))
  useLibrary.getState().reload()
  return true
}

export function showItemInFolder(item: LibraryItem): void {
  void libraryClient.showInFolder(item.id)
}
