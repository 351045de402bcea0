// Turning dropped or picked Files into paths main can read, and asking main what they are.
import { errorMessage } from '../api'
import { filesClient } from '../clients/filesClient'
import type { InspectReply } from '../shared'
import { useMediaCache } from '../store/mediaCache'
import { toastError } from '../store/toasts'

export function pathsOf(files: Iterable<File>): string[] {
  const out: string[] = []
  for (const file of files) {
    try {
      const p = filesClient.pathFor(file)
      if (p) out.push(p)
    } catch {
      // A File without a path (dragged from a web page) cannot be used.
    }
  }
  return out
}

const CHUNK = 2000

/** files.inspect in chunks so 10,000 files do not make one giant reply. */
/** `fromJob`: the paths are that job's own source images (main accepts them without a new drop). */
export async function inspectPaths(paths: string[], model: string | null, fromJob?: string): Promise<InspectReply | null> {
  if (paths.length === 0) return null
  const total: InspectReply = { cards: [], rejected: [], scanned: { folders: 0, files: 0 } }
  try {
    for (let i = 0; i < paths.length; i += CHUNK) {
      const req = { paths: paths.slice(i, i + CHUNK), ...(model ? { model } : {}), ...(fromJob ? { fromJob } : {}) }
      const reply = await filesClient.inspect(req)
      total.cards.push(...reply.cards)
      total.rejected.push(...reply.rejected)
      total.scanned.folders += reply.scanned.folders
      total.scanned.files += reply.scanned.files
    }
  } catch (error) {
    toastError(errorMessage(error))
    if (total.cards.length === 0 && total.rejected.length === 0) return null
  }
  useMediaCache.getState().rememberCards(total.cards)
  return total
}
