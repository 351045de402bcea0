// Settings → Proxy: none, the environment's or system's (default), or a manual proxy with an
// optional user name and password. The password goes to main and never comes back; the page only
// learns that one is stored, and which proxy requests use right now.
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactElement, type ReactNode } from 'react'
import { errorMessage, InvokeError } from '../../api'
import { proxyClient } from '../../clients/proxyClient'
import { Button } from '../../components/Button'
import { useT, type MessageKey } from '../../i18n'
import { MANUAL_PROXY_TYPES, proxyProblems, type ManualProxyType, type ProxyMode, type ProxyProblem, type ProxyStatus, type RequestOf } from '../../shared'
import { useApp } from '../../store/app'
import { confirmDialog } from '../../store/dialogs'
import { toastError, toastSuccess } from '../../store/toasts'
import { storageLabel } from '../common/KeyForm'
import './proxy.css'

const MODES: ProxyMode[] = ['none', 'auto', 'manual']
const TYPE_LABELS: Record<ManualProxyType, string> = { http: 'HTTP', https: 'HTTPS', socks5: 'SOCKS5' }

const PROBLEM_TEXT: Record<ProxyProblem['code'], MessageKey> = {
  'proxy.hostMissing': 'settings.proxyHostMissing',
  'proxy.hostInvalid': 'settings.proxyHostInvalid',
  'proxy.portInvalid': 'settings.proxyPortInvalid',
  'proxy.passwordWithoutUser': 'settings.proxyPasswordWithoutUser',
  'proxy.credentialsInvalid': 'settings.proxyCredentialsInvalid'
}

/** Which field a sentence from main is about (main checks again and answers with a code). */
const FIELD_OF: Partial<Record<string, ProxyProblem['field']>> = {
  'proxy.hostMissing': 'host',
  'proxy.hostInvalid': 'host',
  'proxy.portInvalid': 'port',
  'proxy.passwordWithoutUser': 'username',
  'proxy.credentialsInvalid': 'username'
}

interface Draft {
  mode: ProxyMode
  type: ManualProxyType
  host: string
  port: string
  username: string
  password: string
}

function draftOf(s: ProxyStatus): Draft {
  return { mode: s.settings.mode, type: s.settings.type, host: s.settings.host, port: s.settings.port === null ? '' : String(s.settings.port), username: '', password: '' }
}

function portOf(text: string): number | null {
  const t = text.trim()
  if (!t) return null
  const n = Number(t)
  return Number.isFinite(n) ? n : 0
}

export function ProxySection(): ReactElement {
  const t = useT()
  const saved = useApp((s) => s.settings?.proxy)
  const [status, setStatus] = useState<ProxyStatus | null>(null)
  const [draft, setDraft] = useState<Draft | null>(null)
  const [errors, setErrors] = useState<Partial<Record<ProxyProblem['field'], string>>>({})
  const [busy, setBusy] = useState(false)
  const ids = { type: useId(), host: useId(), port: useId(), user: useId(), password: useId() }

  const load = useCallback(async () => {
    try {
      const s = await proxyClient.status()
      setStatus(s)
      setDraft((d) => (d && d.mode === 'manual' && s.settings.mode !== 'manual' ? d : draftOf(s)))
    } catch (error) {
      toastError(errorMessage(error))
    }
  }, [])
  // Again whenever the stored setting changes (here, or in another window of the app).
  useEffect(() => {
    void load()
  }, [load, saved?.mode, saved?.host, saved?.port, saved?.type])

  const send = async (request: RequestOf<'proxy.set'>, quietly = false): Promise<boolean> => {
    setBusy(true)
    try {
      const next = await proxyClient.set(request)
      setStatus(next)
      setDraft(draftOf(next))
      setErrors({})
      if (!quietly) toastSuccess(t('settings.proxySaved'))
      return true
    } catch (error) {
      const code = error instanceof InvokeError ? error.wire.messageCode : undefined
      if (code === 'proxy.obfuscatedAsk' && !request.store) {
        setBusy(false)
        const ok = await confirmDialog({ title: t('settings.proxyObfuscatedTitle'), body: errorMessage(error), confirmLabel: t('settings.proxyObfuscatedConfirm'), testId: 'proxy-obfuscated-dialog' })
        return ok ? send({ ...request, store: 'anyway' }, quietly) : false
      }
      const field = code ? FIELD_OF[code] : undefined
      if (field) setErrors({ [field]: errorMessage(error) })
      else toastError(errorMessage(error))
      return false
    } finally {
      setBusy(false)
    }
  }

  if (!status || !draft) {
    return <Frame t={t}>{null}</Frame>
  }

  const chooseMode = (mode: ProxyMode): void => {
    setErrors({})
    setDraft({ ...draft, mode })
    // None and automatic apply at once; a manual proxy applies when saved.
    if (mode !== 'manual' && mode !== status.settings.mode) void send({ settings: { ...status.settings, mode } })
  }

  const submit = (e: FormEvent): void => {
    e.preventDefault()
    const settings = { mode: 'manual' as const, type: draft.type, host: draft.host.trim(), port: portOf(draft.port) }
    const typed = draft.username.trim() !== '' || draft.password !== ''
    const credentials = typed ? { username: draft.username.trim(), password: draft.password } : undefined
    const problems = proxyProblems(settings, credentials)
    if (problems.length) {
      setErrors(Object.fromEntries(problems.map((p) => [p.field, t(PROBLEM_TEXT[p.code])])))
      return
    }
    void send(credentials ? { settings, credentials } : { settings })
  }

  const removeCredentials = async (): Promise<void> => {
    if (await send({ settings: status.settings, credentials: { clear: true } }, true)) toastSuccess(t('settings.proxyCredentialsRemoved'))
  }

  const modeHint: Record<ProxyMode, MessageKey> = { none: 'settings.proxyNoneHint', auto: 'settings.proxyAutoHint', manual: 'settings.proxyManualHint' }
  const stored = status.credentials.stored
  const field = (name: ProxyProblem['field']): string | undefined => errors[name]

  return (
    <Frame t={t}>
      <div className="setting-row">
        <div className="setting-text">
          <span className="setting-label">{t('settings.proxyMode')}</span>
          <p className="hint">{t(modeHint[draft.mode])}</p>
        </div>
        <div className="setting-control">
          <div className="segmented" role="radiogroup" aria-label={t('settings.proxyMode')} data-testid="proxy-mode">
            {MODES.map((m) => (
              <button key={m} type="button" role="radio" aria-checked={draft.mode === m} className={draft.mode === m ? 'is-on' : ''} disabled={busy} onClick={() => chooseMode(m)} data-testid={`proxy-mode-${m}`}>
                {t(`settings.proxyMode.${m}` as MessageKey)}
              </button>
            ))}
          </div>
        </div>
      </div>
      <p className="proxy-in-use hint" role="status" data-testid="proxy-in-use">
        <span className={`status-dot ${status.inUse ? 'ok' : 'off'}`} aria-hidden="true" />
        {status.inUse ? t('settings.proxyInUse', { proxy: status.inUse.proxy, source: t(`settings.proxySource.${status.inUse.source}` as MessageKey) }) : t('settings.proxyDirect')}
      </p>
      {draft.mode === 'manual' ? (
        <form className="proxy-form" onSubmit={submit} noValidate data-testid="proxy-form">
          <Row label={t('settings.proxyType')} htmlFor={ids.type}>
            <select id={ids.type} className="select proxy-input" value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value as ManualProxyType })} data-testid="proxy-type">
              {MANUAL_PROXY_TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {TYPE_LABELS[ty]}
                </option>
              ))}
            </select>
          </Row>
          <Row label={t('settings.proxyHost')} htmlFor={ids.host} error={field('host')} errorId="proxy-host-error" hint={t('settings.proxyHostHint')}>
            <input
              id={ids.host}
              className={`input mono proxy-input ${field('host') ? 'is-invalid' : ''}`}
              value={draft.host}
              placeholder="proxy.example.com"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={!!field('host') || undefined}
              onChange={(e) => setDraft({ ...draft, host: e.target.value })}
              data-testid="proxy-host"
            />
          </Row>
          <Row label={t('settings.proxyPort')} htmlFor={ids.port} error={field('port')} errorId="proxy-port-error">
            <input
              id={ids.port}
              className={`input mono input-number ${field('port') ? 'is-invalid' : ''}`}
              value={draft.port}
              inputMode="numeric"
              placeholder={draft.type === 'socks5' ? '1080' : '8080'}
              autoComplete="off"
              aria-invalid={!!field('port') || undefined}
              onChange={(e) => setDraft({ ...draft, port: e.target.value })}
              data-testid="proxy-port"
            />
          </Row>
          <Row label={t('settings.proxyUser')} optional={t('settings.proxyOptional')} htmlFor={ids.user} error={field('username')} errorId="proxy-user-error" hint={t('settings.proxyCredentialsHint')}>
            <input
              id={ids.user}
              className={`input proxy-input ${field('username') ? 'is-invalid' : ''}`}
              value={draft.username}
              placeholder={stored ? t('settings.proxyCredentialsKeep') : ''}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={!!field('username') || undefined}
              onChange={(e) => setDraft({ ...draft, username: e.target.value })}
              data-testid="proxy-user"
            />
          </Row>
          <Row label={t('settings.proxyPassword')} optional={t('settings.proxyOptional')} htmlFor={ids.password} error={field('password')} errorId="proxy-password-error">
            <input
              id={ids.password}
              className={`input proxy-input ${field('password') ? 'is-invalid' : ''}`}
              type="password"
              value={draft.password}
              placeholder={stored ? t('settings.proxyCredentialsKeep') : ''}
              autoComplete="new-password"
              aria-invalid={!!field('password') || undefined}
              onChange={(e) => setDraft({ ...draft, password: e.target.value })}
              data-testid="proxy-password"
            />
          </Row>
          <div className="proxy-actions">
            {stored ? (
              <p className="hint proxy-stored" data-testid="proxy-credentials-stored">
                {t('settings.proxyCredentialsStored', { where: t(storageLabel(status.credentials.storage)) })}
                {status.credentials.storage === 'obfuscated-file' ? ` ${t('settings.proxyObfuscatedNote')}` : ''}
              </p>
            ) : (
              <span className="proxy-stored" />
            )}
            {stored ? (
              <Button size="sm" variant="ghost" className="danger-hover" icon="trash" disabled={busy} onClick={() => void removeCredentials()} data-testid="proxy-credentials-remove">
                {t('settings.proxyCredentialsRemove')}
              </Button>
            ) : null}
            <Button type="submit" size="sm" variant="primary" busy={busy} data-testid="proxy-save">
              {t('settings.proxySave')}
            </Button>
          </div>
        </form>
      ) : null}
    </Frame>
  )
}

/** One labelled field, laid out like the other settings: label and hint (or the error) left, the control right. */
function Row({ label, optional, htmlFor, hint, error, errorId, children }: { label: string; optional?: string; htmlFor: string; hint?: string; error?: string; errorId?: string; children: ReactNode }): ReactElement {
  return (
    <div className="setting-row">
      <div className="setting-text">
        <label className="setting-label" htmlFor={htmlFor}>
          {label}
          {optional ? <span className="proxy-optional"> {optional}</span> : null}
        </label>
        {error ? (
          <p className="hint">
            <span className="hint-error" data-testid={errorId}>
              {error}
            </span>
          </p>
        ) : hint ? (
          <p className="hint">{hint}</p>
        ) : null}
      </div>
      <div className="setting-control">{children}</div>
    </div>
  )
}

function Frame({ t, children }: { t: ReturnType<typeof useT>; children: ReactNode }): ReactElement {
  return (
    <section className="settings-section" id="settings-proxy" aria-labelledby="settings-proxy-title" data-testid="proxy-section">
      <div className="settings-section-head">
        <h2 id="settings-proxy-title">{t('settings.proxy')}</h2>
        <p className="hint">{t('settings.proxyHint')}</p>
      </div>
      <div className="settings-section-body">{children}</div>
    </section>
  )
}
