// Settings › Updates: the version, what the updater is doing, "Check for updates", "Restart to
// update", and the setting that turns automatic checks off.
import type { ReactElement } from 'react'
import { applySettings } from '../../boot'
import { settingsClient } from '../../clients/settingsClient'
import { Button } from '../../components/Button'
import { ProgressBar } from '../../components/Feedback'
import { Icon, type IconName } from '../../components/Icon'
import { engineText, useLang, useT, type MessageKey, type TFunction } from '../../i18n'
import { formatBytes, formatDateTime } from '../../lib/format'
import type { Settings, UpdateState } from '../../shared'
import { checkForUpdates, useUpdates } from '../../store/updates'
import { cancelWaitingRestart, restartToUpdate, restartWhenDownloadsFinish } from '../common/updateRestart'
import { Section, SettingRow } from './SettingsScreen'
import '../common/updates.css'

function statusLine(state: UpdateState, t: TFunction): { icon: IconName; text: string } {
  switch (state.phase) {
    case 'checking':
      return { icon: 'retry', text: t('updates.checking') }
    case 'downloading':
      return { icon: 'download', text: t('updates.downloading', { version: state.version ?? '' }) }
    case 'ready':
      return { icon: 'download', text: t('updates.ready', { version: state.version ?? '' }) }
    case 'upToDate':
      return { icon: 'check', text: t('updates.upToDate', { version: state.currentVersion }) }
    case 'failed':
      return { icon: 'alert', text: t(`updates.failed.${state.failure?.stage ?? 'check'}` as MessageKey) }
    case 'unsupported':
      return { icon: 'info', text: t('updates.unsupported') }
    default:
      return { icon: 'info', text: t('updates.idle') }
  }
}

export function UpdatesSection({ settings }: { settings: Settings }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const state = useUpdates((s) => s.state)
  const asking = useUpdates((s) => s.checking)
  const line = state ? statusLine(state, t) : null
  const busy = asking || state?.phase === 'checking'
  const progress = state?.progress
  return (
    <Section id="updates" title={t('updates.title')} description={t('updates.hint')}>
      {state && line ? (
        <div className={`update-status ${state.phase === 'failed' || state.failure ? 'is-warn' : ''}`} data-testid="update-status" data-phase={state.phase}>
          <Icon name={line.icon} />
          <div className="update-status-text">
            <p className="update-status-main">{line.text}</p>
            {state.failure ? <p className="hint hint-warn" data-testid="update-failure">{engineText(lang, state.failure.message, state.failure.code, state.failure.params)}</p> : null}
            {state.phase === 'downloading' ? (
              <>
                <ProgressBar value={progress?.percent ?? 0} label={line.text} testId="update-progress" />
                <p className="hint">
                  {progress && progress.total > 0
                    ? t('updates.progress', { percent: Math.floor(progress.percent), done: formatBytes(progress.transferred), total: formatBytes(progress.total) })
                    : t('updates.progressStarting')}
                </p>
              </>
            ) : null}
            {state.phase === 'ready' ? <p className="hint">{t('updates.readyHint')}</p> : null}
            {state.phase === 'ready' && state.downloadsWriting > 0 ? (
              <p className="hint" data-testid="update-writing">
                {state.restartWhenIdle ? t('updates.waiting', { count: state.downloadsWriting }) : t('updates.writing', { count: state.downloadsWriting })}
              </p>
            ) : null}
            <p className="hint">
              {t('updates.current', { version: state.currentVersion })}
              {state.checkedAt ? ` · ${t('updates.checkedAt', { time: formatDateTime(state.checkedAt, lang) })}` : ''}
            </p>
          </div>
          <div className="update-status-actions">
            {state.phase === 'ready' ? (
              state.restartWhenIdle ? (
                <Button size="sm" variant="ghost" onClick={() => void cancelWaitingRestart()} data-testid="update-cancel-wait">
                  {t('updates.cancelWait')}
                </Button>
              ) : (
                <>
                  {state.downloadsWriting > 0 ? (
                    <Button size="sm" onClick={() => void restartWhenDownloadsFinish()} data-testid="update-restart-later">
                      {t('updates.restartWhenDone')}
                    </Button>
                  ) : null}
                  <Button size="sm" variant="primary" icon="retry" onClick={() => void restartToUpdate()} data-testid="update-restart">
                    {t('updates.restart')}
                  </Button>
                </>
              )
            ) : (
              <Button size="sm" icon="retry" busy={busy} disabled={state.phase === 'downloading'} onClick={() => void checkForUpdates()} data-testid="update-check">
                {busy ? t('updates.checking') : t('updates.check')}
              </Button>
            )}
          </div>
        </div>
      ) : null}
      <SettingRow label={t('updates.auto')} hint={t('updates.autoHint')}>
        <label className="switch">
          <input
            type="checkbox"
            checked={settings.autoUpdate}
            onChange={async (e) => {
              const next = await settingsClient.update({ autoUpdate: e.target.checked })
              if (next) applySettings(next)
            }}
            data-testid="auto-update-toggle"
          />
          <span className="switch-track" aria-hidden="true" />
          <span className="sr-only">{t('updates.auto')}</span>
        </label>
      </SettingRow>
    </Section>
  )
}
