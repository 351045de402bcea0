import { useEffect, useState, type ReactElement } from 'react'
import { mediaUrl } from '../../api'
import { Icon } from '../../components/Icon'
import type { JobView } from '../../shared'
import { libraryItem, useMediaCache } from '../../store/mediaCache'

/**
 * The video's poster once it has one (the engine makes it with ffmpeg as the video lands, or the
 * Library when it first shows the card), else the job's first source image, else a placeholder.
 */
export function JobThumb({ job }: { job: JobView }): ReactElement {
  const itemId = job.libraryItemId
  const item = useMediaCache((s) => (itemId ? s.items[itemId] : undefined))
  // A library change forgets the cached item: ask again (that is how a new poster shows up).
  useEffect(() => {
    if (itemId && item === undefined) void libraryItem(itemId)
  }, [itemId, item])
  const posterUrl = item?.poster ? `${mediaUrl('poster', item.id)}?v=${encodeURIComponent(item.poster)}` : null
  // Keep the last poster while the item is asked for again, so the thumbnail does not flicker.
  const [lastPoster, setLastPoster] = useState<string | null>(null)
  useEffect(() => {
    if (posterUrl) setLastPoster(posterUrl)
  }, [posterUrl])
  const [failed, setFailed] = useState<ReadonlySet<string>>(new Set())
  const poster = posterUrl ?? (itemId && item === undefined ? lastPoster : null)
  const source = job.spec.images?.length ? mediaUrl('jobimage', `${job.id}/0`) : null
  const src = [poster, source].find((s): s is string => s !== null && !failed.has(s)) ?? null
  if (!src) {
    return (
      <span className="thumb thumb-empty" aria-hidden="true">
        <Icon name={job.spec.images?.length ? 'image' : 'film'} size={16} />
      </span>
    )
  }
  return (
    <img
      className="thumb"
      src={src}
      alt=""
      loading="lazy"
      draggable={false}
      onError={() => setFailed((f) => new Set(f).add(src))}
    />
  )
}
