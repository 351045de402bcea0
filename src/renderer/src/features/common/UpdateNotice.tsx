// The small notice at the foot of the sidebar: an update ready to install, the first failed
// automatic check of the session, or what an on-demand check found. Closed with ×; main decides
// when it shows (src/app/updates.ts).
import type { ReactElement } from 'react'
import { Button, IconButton } from '../../components/Button'
import { ProgressBar } from '../../components/Feedback'
import { Icon } from '../../components/Icon'
import { engineText, useLang, useT, type MessageKey, type TFunction } from '../../i18n'
import type { UpdateState } from '../../shared'
import { navigate } from '../../store/app'
import { dismissUpdateNotice, useUpdates } from '../../store/updates'
import { cancelWaitingRestart, restartToUpdate } from './updateRestart'
import './updates.css'

/** What the notice says for a state: its headline and, for a failure, why. */
export function noticeText(state: UpdateState, t: TFunction): string {
  switch (state.phase) {
    case 'checking':
      return t('updates.checking')
    case 'downloading':
      return t('updates.noticeDownloading', { percent: Math.floor(state.progress?.percent ?? 0) })
    case 'ready':
      return state.restartWhenIdle ? t('updates.waiting', { count: state.downloadsWriting }) : t('updates.noticeReady', { version: state.version ?? '' })
    case 'upToDate':
      return t('updates.noticeUpToDate', { version: state.currentVersion })
    case 'failed':
      return t(`updates.failed.${state.failure?.stage ?? 'check'}` as MessageKey)
    case 'unsupported':
      return t('updates.noticeUnsupported')
    default:
      return ''
  }
}

export function UpdateNotice(): ReactElement | null {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const state = useUpdates((s) => s.state)
  if (!state?.notice || state.phase === 'idle') return null
  const failure = state.failure
  const tone = state.phase === 'failed' || (state.phase === 'ready' && failure) ? 'warn' : state.phase === 'ready' ? 'accent' : 'quiet'
  return (
    <div className={`update-notice update-notice-${tone}`} role="status" aria-label={t('updates.noticeLabel')} data-testid="update-notice" data-phase={state.phase}>
      <button type="button" className="update-notice-icon" title={t('updates.openSettings')} aria-label={t('updates.openSettings')} onClick={() => navigate({ name: 'settings', section: 'updates' })}>
        <Icon name={state.phase === 'failed' ? 'alert' : state.phase === 'upToDate' ? 'check' : 'download'} />
      </button>
      <div className="update-notice-body">
        <p className="update-notice-title">{noticeText(state, t)}</p>
        {failure ? <p className="update-notice-why">{engineText(lang, failure.message, failure.code, failure.params)}</p> : null}
        {state.phase === 'downloading' ? <ProgressBar value={state.progress?.percent ?? 0} label={noticeText(state, t)} /> : null}
        {state.phase === 'ready' ? (
          <div className="update-notice-actions">
            {state.restartWhenIdle ? (
              <Button size="sm" variant="ghost" onClick={() => void cancelWaitingRestart()} data-testid="update-notice-cancel-wait">
                {t('updates.cancelWait')}
              </Button>
            ) : (
              <Button size="sm" variant="primary" onClick={() => void restartToUpdate()} data-testid="update-notice-restart">
                {t('updates.restartShort')}
              </Button>
            )}
          </div>
        ) : null}
      </div>
      <IconButton icon="x" size="sm" className="update-notice-close" label={t('common.dismiss')} onClick={() => void dismissUpdateNotice()} data-testid="update-notice-dismiss" />
    </div>
  )
}
