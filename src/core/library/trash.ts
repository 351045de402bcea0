// Deleting from the library moves files to a trash, never unlinks them: the desktop passes
// Electron's shell.trashItem, the CLI and tests use the fallback below.
import { mkdir, rename, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'

/** Moves a file somewhere the user can get it back from. */
export type TrashFn = (absPath: string) => Promise<void>

/** For the CLI and tests: "trash" by moving into `<library>/.trash/`, never overwriting. */
export function libraryTrashFallback(root: string): TrashFn {
  return async (absPath) => {
    const dir = join(root, '.trash')
    await mkdir(dir, { recursive: true })
    const name = basename(absPath)
    const dot = name.lastIndexOf('.')
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
    for (let n = 1; ; n++) {
      const target = join(dir, n === 1 ? name : `${stem} (${n})${ext}`)
      if (await exists(target)) continue
      await rename(absPath, target)
      return
    }
  }
}

/** True when something is at `p`. */
export async function exists(p: string): Promise<boolean> {
  try {
    await stat(p)
    return true
  } catch {
    return false
  }
}
