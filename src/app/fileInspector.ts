// Turns dropped paths (files and whole folders) into image cards: the core's image scan (header
// probing, content fingerprints), the model's checks, and a fix where one exists. Every path is
// checked again here: the renderer's word for what a path is counts for nothing.
import { randomBytes } from 'node:crypto'
import { basename } from 'node:path'
import type { ImageCard, InspectReply } from '../shared/ipc/contract'
import type { JobSpec } from '../shared/jobs'
import type { CatalogModel, ImageInfo } from '../shared/modelTypes'
import { fixTarget, sizeForImage } from '../shared/imageFix'
import { validateSpec } from '../shared/validation'
import { scanImages } from '../core/images/imageScan'

/** Opaque tokens for thumbnails of dropped images: the media route serves only these paths. */
export class ImageTokens {
  private byToken = new Map<string, string>()
  private byPath = new Map<string, string>()

  constructor(private readonly max = 50_000) {}

  tokenFor(path: string): string {
    const known = this.byPath.get(path)
    if (known) return known
    const token = randomBytes(12).toString('hex')
    this.byToken.set(token, path)
    this.byPath.set(path, token)
    if (this.byToken.size > this.max) {
      const [oldest] = this.byToken.keys()
      this.byPath.delete(this.byToken.get(oldest)!)
      this.byToken.delete(oldest)
    }
    return token
  }

  pathOf(token: string): string | null {
    return this.byToken.get(token) ?? null
  }

  /** True when the person chose this file in the app (dropped, picked or fixed) in this session. */
  knows(path: string): boolean {
    return this.byPath.has(path)
  }
}

export async function inspectFiles(paths: string[], model: CatalogModel | null, tokens: ImageTokens): Promise<InspectReply> {
  const { images, rejected, scanned } = await scanImages(paths)
  const cards: ImageCard[] = images.map((img) => ({ ...img, name: basename(img.path), token: tokens.tokenFor(img.path), ...checkAgainst(model, img.info) }))
  return { cards, rejected, scanned }
}
/** The model's image checks for one image, and the fix when one exists. */
export function checkAgainst(model: CatalogModel | null, info: ImageInfo): Pick<ImageCard, 'problems' | 'fix'> {
  if (!model) return { problems: [], fix: null }
  const spec: JobSpec = { model: model.id, prompt: 'x', images: [info.path] }
  if (info.width && info.height) {
    const size = sizeForImage(model.rules, info.width, info.height)
    if (size) spec.size = size
  }
  const problems = validateSpec(spec, model.rules, [info]).filter((e) => e.field.startsWith('images'))
  return { problems, fix: problems.length ? fixTarget(info, spec, model.rules) : null }
}
