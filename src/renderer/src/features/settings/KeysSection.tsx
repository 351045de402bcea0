// Settings → API key, the named keys: several named keys (a team key, a personal key…), one of them the default. Each
// job keeps the key it was created with; each key has today's spend and may have its own daily cap.
import { useEffect, useId, useState, type ReactElement } from 'react'
import { errorMessage } from '../../api'
import { keyClient } from '../../clients/keyClient'
import { Button } from '../../components/Button'
import { engineText, t, useLang, useT } from '../../i18n'
import { formatMoney } from '../../lib/format'
import { english, KEY_LABEL_MAX, keyLabelProblem, type KeyProfile } from '../../shared'
import { confirmDialog } from '../../store/dialogs'
import { keyName, useKeys, watchKeys } from '../../store/keys'
import { toastSuccess } from '../../store/toasts'
import { KeyForm, storageLabel } from '../common/KeyForm'
import './keys.css'

/**
 * Inside Settings → API key: with one key, only "Add another key"; with several, every key with
 * its default mark, today's spend, its own cap and its actions.
 */
export function NamedKeys(): ReactElement {
  const t = useT()
  const keys = useKeys((s) => s.keys)
  const error = useKeys((s) => s.error)
  const [adding, setAdding] = useState(false)
  useEffect(() => watchKeys(), [])
  return (
    <div className="named-keys" id="settings-keys" data-testid="named-keys">
      {error ? (
        <p className="hint hint-warn" role="alert">
          {error}
        </p>
      ) : null}
      {keys && keys.length > 1 ? (
        <>
          <h3 className="named-keys-title">{t('keys.title')}</h3>
          <p className="hint">{t('keys.hint')}</p>
          <ul className="key-list" data-testid="key-list">
            {keys.map((k) => (
              <KeyRow key={k.id} profile={k} />
            ))}
          </ul>
        </>
      ) : null}
      {adding ? (
        <AddKey onDone={() => setAdding(false)} />
      ) : (
        <div className="key-list-actions">
          <Button size="sm" variant="ghost" icon="plus" onClick={() => setAdding(true)} data-testid="keys-add">
            {t('keys.add')}
          </Button>
          {keys && keys.length < 2 ? <span className="hint">{t('keys.addHint')}</span> : null}
        </div>
      )}
    </div>
  )
}

function KeyRow({ profile: k }: { profile: KeyProfile }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const [editingCap, setEditingCap] = useState(false)
  const where = k.status.set ? t('keys.stored', { last4: k.status.last4 ?? '????', where: t(storageLabel(k.status.source)) }) : t('keys.notStored')
  return (
    <li className="key-status key-row" data-testid={`key-row-${k.label}`}>
      <div className="key-row-main">
        <p className="key-row-name">
          <span className="key-row-label">{keyName(k)}</span>
          {k.isDefault ? (
            <span className="badge badge-accent" data-testid="key-default-badge">
              {t('keys.default')}
            </span>
          ) : null}
        </p>
        <p className={`hint ${k.status.set ? '' : 'hint-warn'}`}>{where}</p>
        <p className="hint">
          {t('keys.today', { amount: formatMoney(k.spentToday, lang) })}
          {' · '}
          {k.dailyCap != null ? t('keys.cap', { amount: formatMoney(k.dailyCap, lang) }) : t('keys.noCap')}
          {k.inFlight > 0 ? ` · ${t('keys.inFlight', { count: k.inFlight })}` : ''}
        </p>
        {editingCap ? <CapEditor profile={k} onDone={() => setEditingCap(false)} /> : null}
      </div>
      <div className="key-row-actions">
        {!k.isDefault ? (
          <Button
            size="sm"
            data-testid="key-make-default"
            onClick={async () => {
              const keys = await keyClient.update(k.id, { makeDefault: true })
              if (keys) {
                useKeys.getState().set(keys)
                toastSuccess(t('keys.nowDefault', { name: keyName(k) }))
              }
            }}
          >
            {t('keys.makeDefault')}
          </Button>
        ) : null}
        <Button size="sm" variant="ghost" onClick={() => setEditingCap((v) => !v)} aria-expanded={editingCap} data-testid="key-cap-edit">
          {t('keys.setCap')}
        </Button>
        {!k.isDefault ? (
          <Button size="sm" variant="ghost" data-testid="key-remove-named" onClick={() => void removeKey(k)}>
            {t('settings.removeKey')}
          </Button>
        ) : null}
      </div>
    </li>
  )
}

/** Removes a named key; with unfinished jobs that need it, the engine's question is asked first. */
async function removeKey(k: KeyProfile): Promise<void> {
  const ok = await confirmDialog({ title: t('keys.removeTitle', { name: keyName(k) }), body: t('keys.removeBody'), confirmLabel: t('settings.removeKey'), danger: true })
  if (!ok) return
  let reply = await keyClient.remove(k.id)
  if (reply && !reply.removed && reply.question) {
    const q = reply.question
    const again = await confirmDialog({ title: t('keys.removeTitle', { name: keyName(k) }), body: engineText(useLang.getState().lang, q.text, q.code, q.params), confirmLabel: t('keys.removeAnyway'), danger: true })
    if (!again) return
    reply = await keyClient.remove(k.id, true)
  }
  if (reply?.removed) {
    toastSuccess(t('keys.removed', { name: keyName(k) }))
    await useKeys.getState().load()
  }
}

function CapEditor({ profile: k, onDone }: { profile: KeyProfile; onDone: () => void }): ReactElement {
  const t = useT()
  const id = useId()
  const [value, setValue] = useState(k.dailyCap != null ? String(k.dailyCap) : '')
  const [problem, setProblem] = useState<string | null>(null)
  const save = async (): Promise<void> => {
    const trimmed = value.trim()
    const cap = trimmed === '' ? null : Number(trimmed)
    if (cap !== null && (!Number.isFinite(cap) || cap < 0 || cap > 1_000_000)) {
      setProblem(t('spend.capInvalid'))
      return
    }
    const keys = await keyClient.update(k.id, { dailyCap: cap })
    if (!keys) return
    useKeys.getState().set(keys)
    toastSuccess(cap === null ? t('spend.capRemoved') : t('spend.capSaved'))
    onDone()
  }
  return (
    <form
      className="key-cap-editor"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <label className="label" htmlFor={id}>
        {t('keys.capLabel', { name: keyName(k) })}
      </label>
      <div className="input-row">
        <input
          id={id}
          className={`input ${problem ? 'is-invalid' : ''}`}
          inputMode="decimal"
          value={value}
          placeholder={t('spend.noCapShort')}
          aria-invalid={problem ? true : undefined}
          data-testid="key-cap-input"
          onChange={(e) => {
            setValue(e.target.value)
            setProblem(null)
          }}
        />
        <Button size="sm" type="submit" variant="primary" data-testid="key-cap-save">
          {t('keys.saveCap')}
        </Button>
      </div>
      <p className={problem ? 'field-error' : 'hint'} role={problem ? 'alert' : undefined}>
        {problem ?? t('keys.capHint')}
      </p>
    </form>
  )
}

function AddKey({ onDone }: { onDone: () => void }): ReactElement {
  const t = useT()
  const id = useId()
  const [label, setLabel] = useState('')
  const [labelError, setLabelError] = useState<string | null>(null)
  const taken = (name: string): boolean => (useKeys.getState().keys ?? []).some((k) => k.label.toLowerCase() === name.trim().toLowerCase())
  const labelProblem = (name: string): string | null => {
    const code = keyLabelProblem(name)
    if (code) return engineText(useLang.getState().lang, english(code), code, {})
    if (taken(name)) return engineText(useLang.getState().lang, english('keyLabel.taken', { label: name.trim() }), 'keyLabel.taken', { label: name.trim() })
    return null
  }
  return (
    <div className="key-add" data-testid="key-add">
      <label className="label" htmlFor={id}>
        {t('keys.name')}
      </label>
      <input
        id={id}
        className={`input ${labelError ? 'is-invalid' : ''}`}
        value={label}
        maxLength={KEY_LABEL_MAX + 10}
        placeholder={t('keys.namePlaceholder')}
        autoFocus
        aria-invalid={labelError ? true : undefined}
        data-testid="key-name-input"
        onChange={(e) => {
          setLabel(e.target.value)
          setLabelError(null)
        }}
        onBlur={() => label !== '' && setLabelError(labelProblem(label))}
      />
      {labelError ? (
        <p className="field-error" role="alert" data-testid="key-name-error">
          {labelError}
        </p>
      ) : null}
      <KeyForm
        send={async (key, store) => {
          const problem = labelProblem(label)
          if (problem) {
            setLabelError(problem)
            return null
          }
          try {
            const reply = await keyClient.add(label, key, store)
            if (reply.profile) await useKeys.getState().load()
            return reply.result
          } catch (e) {
            // A label main refused (taken meanwhile, say) is said beside the name, not as a key problem.
            setLabelError(errorMessage(e))
            return null
          }
        }}
        onSaved={() => {
          toastSuccess(t('keys.added', { name: label.trim() }))
          onDone()
        }}
      />
      <div className="key-list-actions">
        <Button size="sm" variant="ghost" onClick={onDone} data-testid="key-add-cancel">
          {t('keys.cancel')}
        </Button>
      </div>
    </div>
  )
}
