// Dragging a finished video out of the window into a file manager or an editor. The page names the
// video by its job or library item (never by a path); this finds the file the same way "Open" and
// "Show in folder" do — a video inside the library once every symlink is resolved — and the poster
// to show under the pointer. Main hands the answer to webContents.startDrag.
import type { DragRef } from '../shared/ipc/contract'
import type { LibraryItem } from '../shared/library'
import { posterInsideLibrary, videoAtPath, videoInsideLibrary } from './libraryFiles'

export interface DragSources {
  libraryRoot(): string
  /** A job's finished file (absolute) and library item, when it has them. */
  job(id: string): { file: string | null; libraryItemId: string | null } | null
  item(id: string): Pick<LibraryItem, 'fileName' | 'poster'> | null
}

export interface DragFile {
  /** The real path of the video. */
  file: string
  /** The real path of its poster (null: none yet, the shell shows the app's icon). */
  icon: string | null
}

/** What to drag for `ref`, or null when it names no video in the library (missing, refused, not finished). */
export async function dragFileFor(sources: DragSources, ref: DragRef): Promise<DragFile | null> {
  const root = sources.libraryRoot()
  let file: string | null = null
  let itemId: string | null = null
  if ('jobId' in ref) {
    const job = sources.job(ref.jobId)
    if (!job?.file) return null
    const found = await videoAtPath(root, job.file)
    if (!found.ok) return null
    file = found.path
    itemId = job.libraryItemId
  } else {
    const item = sources.item(ref.itemId)
    if (!item) return null
    const found = await videoInsideLibrary(root, item.fileName)
    if (!found.ok) return null
    file = found.path
    itemId = ref.itemId
  }
  const poster = itemId ? sources.item(itemId)?.poster : null
  const icon = poster ? await posterInsideLibrary(root, poster) : null
  return { file, icon: icon?.ok ? icon.path : null }
}
