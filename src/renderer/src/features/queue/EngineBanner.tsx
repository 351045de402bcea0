import type { ReactElement } from 'react'
import { appClient } from '../../clients/appClient'
import { Button } from '../../components/Button'
import { Icon } from '../../components/Icon'
import { engineText, useLang, useT } from '../../i18n'
import { formatTime } from '../../lib/format'
import { navigate, useApp } from '../../store/app'
import './engineBanner.css'

/** Shown on every screen while the person paused new videos, the engine is paused (key rejected, wrong base URL, no key) or CometAPI is not answering. */
export function EngineBanner(): ReactElement | null {
  const held = useApp((s) => s.engine?.heldByPerson ?? null)
  const problem = <ProblemBanner />
  if (!held) return problem
  return (
    <>
      <HeldBanner since={held.since} />
      {problem}
    </>
  )
}

/** The person chose "Pause all" (tray, menu, queue): new videos wait; what was sent still finishes. */
function HeldBanner({ since }: { since: number }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  return (
    <div className="banner banner-info" role="status" data-testid="held-banner">
      <Icon name="pause" />
      <p>
        <strong>{t('banner.heldTitle')}</strong> {t('banner.heldBody', { since: formatTime(since, lang) })}
      </p>
      <Button size="sm" variant="primary" icon="play" onClick={() => void appClient.pause(false)} data-testid="banner-resume">
        {t('banner.resume')}
      </Button>
    </div>
  )
}

function ProblemBanner(): ReactElement | null {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const paused = useApp((s) => s.engine?.paused ?? null)
  const catalogProblem = useApp((s) => s.catalog.problem)
  const unreachable = useApp((s) => s.engine?.unreachable ?? null)
  if (!paused && unreachable) {
    // One banner for the whole app while CometAPI is not answering; the rows keep their own notes.
    return (
      <div className="banner banner-warn" role="status" data-testid="unreachable-banner">
        <Icon name="alert" />
        <p>
          <strong>{t('banner.unreachableTitle')}</strong> {engineText(lang, unreachable.message, unreachable.code, unreachable.params)} {t('banner.unreachableSafe', { since: formatTime(unreachable.since, lang) })}
        </p>
      </div>
    )
  }
  if (!paused) {
    if (!catalogProblem) return null
    return (
      <div className="banner banner-info" role="status" data-testid="offline-banner">
        <Icon name="info" />
        <p>{t('banner.offline', { problem: catalogProblem })}</p>
      </div>
    )
  }
  const title =
    paused.kind === 'auth' ? t('banner.authTitle') : paused.kind === 'bad_base_url' ? t('banner.baseUrlTitle') : paused.kind === 'database' ? t('banner.databaseTitle') : paused.kind === 'proxy' ? t('banner.proxyTitle') : t('banner.noKeyTitle')
  return (
    <div className="banner banner-warn" role="alert" data-testid="engine-banner">
      <Icon name="alert" />
      <p>
        <strong>{title}</strong> {engineText(lang, paused.message, paused.code, paused.params)}
      </p>
      {paused.kind !== 'database' && (
        <Button size="sm" variant="primary" onClick={() => navigate({ name: 'settings', section: paused.kind === 'bad_base_url' ? 'engine' : paused.kind === 'proxy' ? 'proxy' : 'key' })} data-testid="banner-settings">
          {t('banner.openSettings')}
        </Button>
      )}
    </div>
  )
}
