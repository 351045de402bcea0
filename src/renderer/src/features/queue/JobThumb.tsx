import { useState, type ReactElement } from 'react'
import { mediaUrl } from '../../api'
import { Icon } from '../../components/Icon'
import type { JobView } from '../../shared'
import { useMediaCache } from '../../store/mediaCache'

/** The poster once the video is in the library, else the first source image when its token is known. */
export function JobThumb({ job }: { job: JobView }): ReactElement {
  const token = useMediaCache((s) => (job.spec.images?.[0] ? s.tokens[job.spec.images[0]] : undefined))
  const [failed, setFailed] = useState<string | null>(null)
  const src = job.libraryItemId ? mediaUrl('poster', job.libraryItemId) : token ? mediaUrl('image', token) : null
  if (!src || failed === src) {
    return (
      <span className="thumb thumb-empty" aria-hidden="true">
        <Icon name={job.spec.images?.length ? 'image' : 'film'} size={16} />
      </span>
    )
  }
  return <img className="thumb" src={src} alt="" loading="lazy" draggable={false} onError={() => setFailed(src)} />
}
