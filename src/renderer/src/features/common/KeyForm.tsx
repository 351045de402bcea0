// Paste a key, have main test and store it. Used by the first-run screen and by Settings → Replace.
import { useId, useState, type ReactElement } from 'react'
import { errorMessage } from '../../api'
import { appClient } from '../../clients/appClient'
import { keyClient } from '../../clients/keyClient'
import { Button } from '../../components/Button'
import { Icon } from '../../components/Icon'
import { engineText, useLang, useT, type MessageKey } from '../../i18n'
import type { KeyStatus, KeyStorage, KeyTestResult } from '../../shared'
import { useApp } from '../../store/app'
import './keyForm.css'

export const KEY_CONSOLE_URL = 'https://www.cometapi.com/console/token'

const STORAGE_LABELS: Record<KeyStorage, MessageKey> = {
  keychain: 'key.storage.keychain',
  'encrypted-file': 'key.storage.encrypted',
  'obfuscated-file': 'key.storage.obfuscated',
  session: 'key.storage.session',
  env: 'key.storage.env'
}

export function storageLabel(storage: KeyStorage | null): MessageKey {
  return storage ? STORAGE_LABELS[storage] : 'key.storage.none'
}

export function openKeyConsole(): void {
  void appClient.openExternal(KEY_CONSOLE_URL).catch(() => undefined)
}

/**
 * `send`: tests and stores the key elsewhere than the default key (a new named key); without it the
 * form sets the default key and updates the app's key status.
 */
export function KeyForm({
  onSaved,
  autoFocus,
  send,
  disabled
}: {
  onSaved: (status: KeyStatus, verified: boolean) => void
  autoFocus?: boolean
  send?: (key: string, store?: 'anyway' | 'session') => Promise<KeyTestResult | null>
  disabled?: boolean
}): ReactElement {
  const t = useT()
  const status = useApp((s) => s.key)
  const [key, setKey] = useState('')
  const [show, setShow] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // What CometAPI answered when it refused the key: for the details line, not the sentence.
  const [refusal, setRefusal] = useState<KeyTestResult['refusal'] | null>(null)
  // The only place left would merely obfuscate the key: the person chooses before anything is stored.
  const [consent, setConsent] = useState<string | null>(null)
  const [envHint, setEnvHint] = useState(false)
  const inputId = useId()
  const errorId = useId()

  const save = async (store?: 'anyway' | 'session'): Promise<void> => {
    if (key === '' || busy || disabled) return
    setBusy(true)
    setError(null)
    setRefusal(null)
    setConsent(null)
    try {
      const result = send ? await send(key, store) : await keyClient.set(key, store)
      if (!result) return
      if (!send) useApp.setState({ key: result.status })
      if (result.ok) {
        setKey('')
        onSaved(result.status, result.verified)
      } else if (result.needsConsent) {
        setConsent(engineText(useLang.getState().lang, result.message, result.code, result.params))
      } else {
        setError(engineText(useLang.getState().lang, result.message, result.code, result.params))
        setRefusal(result.refusal ?? null)
      }
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="key-form"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <label className="label" htmlFor={inputId}>
        {t('key.label')}
      </label>
      <div className="input-row">
        <div className="input-affix">
          <Icon name="key" className="input-prefix" />
          <input
            id={inputId}
            className={`input input-with-prefix mono ${error ? 'is-invalid' : ''}`}
            type={show ? 'text' : 'password'}
            autoComplete="off"
            spellCheck={false}
            placeholder="sk-…"
            value={key}
            autoFocus={autoFocus}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            data-testid="key-input"
            onChange={(e) => {
              setKey(e.target.value)
              setError(null)
              setRefusal(null)
            }}
          />
          <button type="button" className="input-suffix-btn" onClick={() => setShow((v) => !v)} aria-pressed={show}>
            {show ? t('key.hide') : t('key.show')}
          </button>
        </div>
        <Button type="submit" variant="primary" busy={busy} disabled={key === '' || disabled} data-testid="key-save">
          {busy ? t('key.testing') : t('key.save')}
        </Button>
      </div>
      {consent ? (
        <div className="key-consent" role="alertdialog" aria-label={t('key.consentTitle')} data-testid="key-consent">
          <p className="hint-warn">{consent}</p>
          <div className="key-consent-actions">
            <Button size="sm" onClick={() => void save('anyway')} data-testid="key-store-anyway">
              {t('key.storeAnyway')}
            </Button>
            <Button size="sm" variant="primary" onClick={() => void save('session')} data-testid="key-session-only">
              {t('key.sessionOnly')}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setEnvHint(true)} data-testid="key-use-env">
              {t('key.useEnv')}
            </Button>
          </div>
          {envHint ? <p className="hint" data-testid="key-env-hint">{t('key.useEnvHint')}</p> : null}
        </div>
      ) : null}
      {error ? (
        <div className="key-error-block">
          <p className="field-error key-error" id={errorId} role="alert" data-testid="key-error">
            <Icon name="alert" size={13} />
            <span>{error}</span>
          </p>
          {refusal ? (
            <details className="key-error-details" data-testid="key-error-details">
              <summary>{t('key.details')}</summary>
              <p className="mono">
                {[
                  refusal.httpStatus ? `HTTP ${refusal.httpStatus}` : null,
                  refusal.serverMessage ? `“${refusal.serverMessage}”` : null,
                  refusal.requestId ? t('key.requestId', { id: refusal.requestId }) : null
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
            </details>
          ) : null}
        </div>
      ) : null}
      <p className="hint">
        {status?.storage ? t('key.willStore', { where: t(storageLabel(status.storage)) }) : t('key.willTest')}
        {consent ? null : status?.storage === 'obfuscated-file' ? (
          <span className="hint-warn" data-testid="key-storage-problem"> {t('key.obfuscatedNote')}</span>
        ) : status?.problem ? (
          <span className="hint-warn" data-testid="key-storage-problem"> {status.problem}</span>
        ) : null}
      </p>
    </form>
  )
}
