import { useEffect, useId, useState, type ReactElement, type ReactNode } from 'react'
import { errorMessage } from '../../api'
import { applySettings } from '../../boot'
import { keyClient } from '../../clients/keyClient'
import { settingsClient } from '../../clients/settingsClient'
import { Button } from '../../components/Button'
import { Loading, ProgressBar } from '../../components/Feedback'
import { Icon } from '../../components/Icon'
import { ScreenHeader } from '../../components/ScreenHeader'
import { engineText, t, useLang, useT, type MessageKey } from '../../i18n'
import { DEFAULT_ENGINE_SETTINGS, DEFAULT_KEY_ID, SETTINGS_LIMITS } from '../../shared'
import type { LanguageSetting, Settings, ThemeSetting } from '../../shared'
import { useApp } from '../../store/app'
import { confirmDialog } from '../../store/dialogs'
import { toastError, toastSuccess } from '../../store/toasts'
import { KeyForm, openKeyConsole, storageLabel } from '../common/KeyForm'
import { NamedKeys } from './KeysSection'
import { keyName, useKeys } from '../../store/keys'
import { UpdatesSection } from './UpdatesSection'
import { WatchSection } from './WatchSection'
import { ProxySection } from './ProxySection'
import './settings.css'

type Patch = { confirmOrigin?: string } & Partial<Pick<Settings, 'baseUrl' | 'maxConcurrentCreates' | 'maxConcurrentCreatesPerProvider' | 'maxConcurrentDownloads' | 'maxConcurrentDownloadsPerProvider' | 'requestsPerSecond' | 'theme' | 'language' | 'notifications' | 'autoUpdate' | 'keepRunningInTray'>>

async function update(patch: Patch): Promise<boolean> {
  const s = await settingsClient.update(patch)
  if (s) applySettings(s)
  return s !== null
}

export function SettingsScreen({ section }: { section?: string }): ReactElement {
  const t = useT()
  const settings = useApp((s) => s.settings)
  useEffect(() => {
    if (section) document.getElementById(`settings-${section}`)?.scrollIntoView({ block: 'start' })
  }, [section])
  return (
    <div className="screen screen-settings" data-testid="settings-screen">
      <ScreenHeader title={t('settings.title')} />
      {!settings ? (
        <Loading />
      ) : (
        <div className="settings-scroll">
          <KeySection />
          <LibrarySection settings={settings} />
          <WatchSection />
          <EngineSection settings={settings} />
          <ProxySection />
          <AppearanceSection settings={settings} />
          <UpdatesSection settings={settings} />
          <AboutSection />
        </div>
      )}
    </div>
  )
}

export function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: ReactNode }): ReactElement {
  return (
    <section className="settings-section" id={`settings-${id}`} aria-labelledby={`settings-${id}-title`}>
      <div className="settings-section-head">
        <h2 id={`settings-${id}-title`}>{title}</h2>
        {description ? <p className="hint">{description}</p> : null}
      </div>
      <div className="settings-section-body">{children}</div>
    </section>
  )
}

export function SettingRow({ label, hint, children, htmlFor }: { label: string; hint?: ReactNode; children: ReactNode; htmlFor?: string }): ReactElement {
  return (
    <div className="setting-row">
      <div className="setting-text">
        {htmlFor ? (
          <label className="setting-label" htmlFor={htmlFor}>
            {label}
          </label>
        ) : (
          <span className="setting-label">{label}</span>
        )}
        {hint ? <p className="hint">{hint}</p> : null}
      </div>
      <div className="setting-control">{children}</div>
    </div>
  )
}

function KeySection(): ReactElement {
  const t = useT()
  const key = useApp((s) => s.key)
  const [replacing, setReplacing] = useState(false)
  const where = key?.source ? t(storageLabel(key.source)) : ''
  // With several named keys, this is the one named (by default) "Default": say so.
  const keys = useKeys((s) => s.keys)
  const builtIn = keys && keys.length > 1 ? keys.find((k) => k.id === DEFAULT_KEY_ID) : undefined
  const name = builtIn ? keyName(builtIn) : undefined
  return (
    <Section id="key" title={t('settings.key')} description={t('settings.keyHint')}>
      <div className="key-status" data-testid="key-status">
        <span className={`status-dot ${key?.set ? 'ok' : 'off'}`} aria-hidden="true" />
        <div>
          <p className="key-status-main">
            {name ? `${name}: ` : ''}
            {key?.set ? t('settings.keySet', { last4: key.last4 ?? '????', where }) : t('settings.keyNone')}
          </p>
          {key?.source === 'env' ? <p className="hint">{t('settings.keyEnv')}</p> : null}
          {key?.source === 'obfuscated-file' ? <p className="hint hint-warn" data-testid="key-obfuscated">{t('settings.keyObfuscated')}</p> : null}
          {key?.source === 'session' ? <p className="hint hint-warn" data-testid="key-session">{t('settings.keySession')}</p> : null}
          {/* The obfuscated and session-only notes above already say what the store's problem would. */}
          {key?.problem && key.source !== 'obfuscated-file' && key.source !== 'session' ? <p className="hint hint-warn">{key.problem}</p> : null}
        </div>
        <div className="key-actions">
          <Button size="sm" icon="key" onClick={() => setReplacing((r) => !r)} data-testid="key-replace">
            {key?.set ? t('settings.replace') : t('settings.addKey')}
          </Button>
          {key?.set && key.source !== 'env' ? (
            <Button
              size="sm"
              variant="ghost"
              className="danger-hover"
              icon="trash"
              data-testid="key-remove"
              onClick={async () => {
                const ok = await confirmDialog({ title: t('settings.removeKeyTitle'), body: t('settings.removeKeyBody'), confirmLabel: t('settings.removeKey'), danger: true })
                if (!ok) return
                const status = await keyClient.clear()
                if (status) {
                  useApp.setState({ key: status })
                  toastSuccess(t('settings.keyRemoved'))
                }
              }}
            >
              {t('settings.removeKey')}
            </Button>
          ) : null}
        </div>
      </div>
      {replacing ? (
        <div className="key-replace">
          <KeyForm
            autoFocus
            onSaved={(status) => {
              setReplacing(false)
              toastSuccess(t('key.saved', { where: t(storageLabel(status.source ?? status.storage)) }))
            }}
          />
          <button type="button" className="link link-sm" onClick={openKeyConsole}>
            {t('settings.getKey')} <Icon name="external" size={12} />
          </button>
        </div>
      ) : null}
      <NamedKeys />
    </Section>
  )
}

function LibrarySection({ settings }: { settings: Settings }): ReactElement {
  const t = useT()
  const [moving, setMoving] = useState<string | null>(null)
  const change = async (): Promise<void> => {
    const to = await settingsClient.chooseFolder()
    if (!to || to === settings.libraryDir) return
    const ok = await confirmDialog({ title: t('settings.moveTitle'), body: t('settings.moveBody', { from: settings.libraryDir, to }), confirmLabel: t('settings.moveConfirm'), testId: 'move-dialog' })
    if (!ok) return
    setMoving(to)
    try {
      const reply = await settingsClient.moveLibrary(to)
      applySettings(reply.settings)
      const said = engineText(useLang.getState().lang, reply.message, reply.code, reply.params)
      if (reply.ok) toastSuccess(said || t('settings.moved', { count: reply.moved }))
      else toastError(said)
    } catch (error) {
      toastError(errorMessage(error))
    } finally {
      setMoving(null)
    }
  }
  return (
    <Section id="library" title={t('settings.library')} description={t('settings.libraryHint')}>
      <SettingRow label={t('settings.libraryFolder')} hint={<span className="mono selectable path-text" data-testid="library-path">{settings.libraryDir}</span>}>
        <Button icon="folder" onClick={() => void change()} busy={moving !== null} data-testid="library-change">
          {t('settings.change')}
        </Button>
      </SettingRow>
      {moving ? (
        <div className="move-progress" role="status">
          <ProgressBar value={null} label={t('settings.moving')} />
          <p className="hint">{t('settings.movingTo', { to: moving })}</p>
        </div>
      ) : null}
    </Section>
  )
}

type NumberKey = 'maxConcurrentCreates' | 'maxConcurrentCreatesPerProvider' | 'maxConcurrentDownloads' | 'maxConcurrentDownloadsPerProvider' | 'requestsPerSecond'

const NUMBER_FIELDS: { key: NumberKey; label: MessageKey; hint: MessageKey; step: number }[] = [
  { key: 'maxConcurrentCreates', label: 'settings.creates', hint: 'settings.createsHint', step: 1 },
  { key: 'maxConcurrentCreatesPerProvider', label: 'settings.createsPerProvider', hint: 'settings.createsPerProviderHint', step: 1 },
  { key: 'maxConcurrentDownloads', label: 'settings.downloads', hint: 'settings.downloadsHint', step: 1 },
  { key: 'maxConcurrentDownloadsPerProvider', label: 'settings.downloadsPerProvider', hint: 'settings.downloadsPerProviderHint', step: 1 },
  { key: 'requestsPerSecond', label: 'settings.rps', hint: 'settings.rpsHint', step: 0.1 }
]

function EngineSection({ settings }: { settings: Settings }): ReactElement {
  const t = useT()
  return (
    <Section id="engine" title={t('settings.engine')} description={t('settings.engineHint')}>
      {NUMBER_FIELDS.map((f) => (
        <NumberSetting key={f.key} field={f.key} label={t(f.label)} hint={t(f.hint, SETTINGS_LIMITS[f.key])} value={settings[f.key]} step={f.step} />
      ))}
      <BaseUrlSetting value={settings.baseUrl} />
    </Section>
  )
}

function NumberSetting({ field, label, hint, value, step }: { field: NumberKey; label: string; hint: string; value: number; step: number }): ReactElement {
  const t = useT()
  const id = useId()
  const [text, setText] = useState(String(value))
  useEffect(() => setText(String(value)), [value])
  const { min, max } = SETTINGS_LIMITS[field]
  const n = Number(text)
  const invalid = text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (step === 1 && !Number.isInteger(n))
  const commit = (): void => {
    if (invalid || n === value) return
    void update({ [field]: n })
  }
  return (
    <SettingRow label={label} hint={invalid ? <span className="hint-error">{t('settings.range', { min, max })}</span> : hint} htmlFor={id}>
      <input
        id={id}
        className={`input input-number ${invalid ? 'is-invalid' : ''}`}
        type="number"
        min={min}
        max={max}
        step={step}
        value={text}
        aria-invalid={invalid || undefined}
        data-testid={`setting-${field}`}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit()
        }}
      />
    </SettingRow>
  )
}

/** The scheme, host and port the key would be sent to (what main compares). */
function originOf(url: string): string | null {
  try {
    return new URL(/^https?:\/\//i.test(url) ? url : `https://${url}`).origin
  } catch {
    return null
  }
}

/** A new origin gets the key only after the person confirms, naming the host. */
async function changeBaseUrl(next: string, current: string): Promise<boolean> {
  const origin = originOf(next)
  if (origin && origin !== originOf(current)) {
    const host = new URL(origin).host
    const ok = await confirmDialog({
      title: t('settings.baseUrlConfirmTitle', { host }),
      body: t('settings.baseUrlConfirmBody', { host }),
      confirmLabel: t('settings.baseUrlConfirm'),
      testId: 'baseurl-confirm'
    })
    if (!ok) return false
    return update({ baseUrl: next, confirmOrigin: origin })
  }
  return update({ baseUrl: next })
}

function BaseUrlSetting({ value }: { value: string }): ReactElement {
  const t = useT()
  const id = useId()
  const [text, setText] = useState(value)
  useEffect(() => setText(value), [value])
  const valid = /^https?:\/\/[^\s]+$/i.test(text.trim())
  const def = DEFAULT_ENGINE_SETTINGS.baseUrl
  return (
    <SettingRow label={t('settings.baseUrl')} hint={valid ? t('settings.baseUrlHint', { url: def }) : <span className="hint-error">{t('settings.baseUrlInvalid')}</span>} htmlFor={id}>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (valid && text.trim() !== value) void changeBaseUrl(text.trim(), value).then((ok) => ok && toastSuccess(t('settings.saved')))
        }}
      >
        <input id={id} className={`input mono ${valid ? '' : 'is-invalid'}`} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} data-testid="setting-baseUrl" />
        <Button type="submit" size="sm" variant="primary" disabled={!valid || text.trim() === value}>
          {t('common.save')}
        </Button>
        <Button size="sm" variant="ghost" disabled={value === def} onClick={() => void changeBaseUrl(def, value).then((ok) => ok && toastSuccess(t('settings.saved')))} data-testid="baseurl-reset">
          {t('settings.reset')}
        </Button>
      </form>
    </SettingRow>
  )
}

function AppearanceSection({ settings }: { settings: Settings }): ReactElement {
  const t = useT()
  const langId = useId()
  const platform = useApp((s) => s.info?.platform)
  return (
    <Section id="appearance" title={t('settings.appearance')}>
      <SettingRow label={t('settings.language')} htmlFor={langId} hint={t('settings.languageHint')}>
        <select id={langId} className="select" value={settings.language} onChange={(e) => void update({ language: e.target.value as LanguageSetting })} data-testid="lang-select">
          <option value="system">{t('settings.system')}</option>
          <option value="en">English</option>
          <option value="zh-CN">简体中文</option>
        </select>
      </SettingRow>
      <SettingRow label={t('settings.theme')}>
        <div className="segmented" role="radiogroup" aria-label={t('settings.theme')} data-testid="theme-select">
          {(['system', 'light', 'dark'] as ThemeSetting[]).map((th) => (
            <button key={th} type="button" role="radio" aria-checked={settings.theme === th} className={settings.theme === th ? 'is-on' : ''} onClick={() => void update({ theme: th })} data-testid={`theme-${th}`}>
              {t(`settings.theme.${th}` as MessageKey)}
            </button>
          ))}
        </div>
      </SettingRow>
      <SettingRow label={t('settings.notifications')} hint={t('settings.notificationsHint')}>
        <label className="switch">
          <input type="checkbox" checked={settings.notifications} onChange={(e) => void update({ notifications: e.target.checked })} data-testid="notifications-toggle" />
          <span className="switch-track" aria-hidden="true" />
          <span className="sr-only">{t('settings.notifications')}</span>
        </label>
      </SettingRow>
      {/* A Mac app keeps running when its window closes anyway: the choice is Windows' and Linux's. */}
      {platform !== 'darwin' ? (
        <SettingRow label={t('settings.keepRunningInTray')} hint={t('settings.keepRunningInTrayHint')}>
          <label className="switch">
            <input type="checkbox" checked={settings.keepRunningInTray} onChange={(e) => void update({ keepRunningInTray: e.target.checked })} data-testid="tray-toggle" />
            <span className="switch-track" aria-hidden="true" />
            <span className="sr-only">{t('settings.keepRunningInTray')}</span>
          </label>
        </SettingRow>
      ) : null}
    </Section>
  )
}

function AboutSection(): ReactElement {
  const t = useT()
  const info = useApp((s) => s.info)
  if (!info) return <></>
  return (
    <Section id="about" title={t('settings.about')}>
      <dl className="about-list">
        <div>
          <dt>{t('settings.version')}</dt>
          <dd className="mono">{info.version}</dd>
        </div>
        <div>
          <dt>{t('settings.platform')}</dt>
          <dd className="mono">{info.platform}</dd>
        </div>
        <div>
          <dt>{t('settings.dataDir')}</dt>
          <dd className="mono selectable">{info.dataDir}</dd>
        </div>
      </dl>
    </Section>
  )
}
