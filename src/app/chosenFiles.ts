// The files the person chose in the app this session: dropped or picked (recorded by the preload
// from trusted events, never taken from the page's word), saved fixed copies, and folders returned
// by main's own folder dialog. Anything the page names outside these is refused unread.
import { isAbsolute, relative, resolve, sep } from 'node:path'

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

export class ChosenFiles {
  private paths = new Set<string>()
  private dialogFolders = new Set<string>()

  /** Files or folders from a real drop or file picker (folders: everything inside them too). */
  addPaths(paths: readonly string[]): void {
    for (const p of paths) if (isAbsolute(p) && !p.includes('\u0000')) this.paths.add(resolve(p))
  }

  /** A folder returned by main's folder dialog. */
  addDialogFolder(path: string): void {
    this.dialogFolders.add(resolve(path))
  }

  /** Whether `path` is a chosen file, or inside a chosen folder. */
  allows(path: string): boolean {
    if (!isAbsolute(path) || path.includes('\u0000')) return false
    const p = resolve(path)
    if (this.paths.has(p)) return true
    for (const c of this.paths) if (inside(c, p)) return true
    return false
  }

  /** Whether `path` is exactly a folder main's own dialog returned this session. */
  fromDialog(path: string): boolean {
    return this.dialogFolders.has(resolve(path))
  }
}
