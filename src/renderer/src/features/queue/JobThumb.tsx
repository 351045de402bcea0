import { useState, type ReactElement } from 'react'
import { mediaUrl } from '../../api'
import { Icon } from '../../components/Icon'
import type { JobView } from '../../shared'

/** The poster once the video is in the library, else the job's first source image. */
export function JobThumb({ job }: { job: JobView }): ReactElement {
  const [failed, setFailed] = useState<string | null>(null)
  const src = job.libraryItemId ? mediaUrl('poster', job.libraryItemId) : job.spec.images?.length ? mediaUrl('jobimage', `${job.id}/0`) : null
  if (!src || failed === src) {
    return (
      <span className="thumb thumb-empty" aria-hidden="true">
        <Icon name={job.spec.images?.length ? 'image' : 'film'} size={16} />
      </span>
    )
  }
  return <img className="thumb" src={src} alt="" loading="lazy" draggable={false} onError={() => setFailed(src)} />
}
