import type { ReactElement } from 'react'
import { Brand } from '../../components/Brand'
import { Icon } from '../../components/Icon'
import { useT } from '../../i18n'
import { navigate, useApp } from '../../store/app'
import { toastSuccess } from '../../store/toasts'
import { KeyForm, openKeyConsole, storageLabel } from '../common/KeyForm'
import './firstRun.css'

export function FirstRun(): ReactElement {
  const t = useT()
  return (
    <div className="first-run" data-testid="first-run">
      <div className="first-run-card">
        <Brand large />
        <h1 className="first-run-title">{t('firstRun.title')}</h1>
        <p className="first-run-lead">{t('firstRun.lead')}</p>
        <ol className="first-run-steps">
          <li>
            {t('firstRun.step1')}{' '}
            <button type="button" className="link" onClick={openKeyConsole} data-testid="key-console-link">
              cometapi.com/console/token <Icon name="external" size={12} />
            </button>
          </li>
          <li>{t('firstRun.step2')}</li>
        </ol>
        <KeyForm
          autoFocus
          onSaved={(status, verified) => {
            toastSuccess(`${t('key.saved', { where: t(storageLabel(status.source ?? status.storage)) })}${verified ? '' : ` ${t('key.unverified')}`}`)
            navigate({ name: 'compose' })
          }}
        />
        <div className="first-run-foot">
          <p className="hint">{t('firstRun.privacy')}</p>
          <button
            type="button"
            className="link"
            data-testid="skip-key"
            onClick={() => {
              useApp.setState({ skippedKey: true })
              navigate({ name: 'library' })
            }}
          >
            {t('firstRun.skip')}
          </button>
        </div>
      </div>
    </div>
  )
}
