// Local files: the path behind a dropped or picked File, what main finds in those paths, and
// saving a resized copy of an image. Both channels throw quietly; the callers toast in context.
import { invoke, studioApi } from '../api'
import type { RequestOf } from '../shared'

const quiet = { quiet: true }

export const filesClient = {
  /** Throws for a File without a path on disk (dragged from a web page). */
  pathFor: (file: File) => studioApi().pathForFile(file),
  inspect: (request: RequestOf<'files.inspect'>) => invoke('files.inspect', request, quiet),
  saveFixedImage: (request: RequestOf<'files.saveFixedImage'>) => invoke('files.saveFixedImage', request, quiet)
}
