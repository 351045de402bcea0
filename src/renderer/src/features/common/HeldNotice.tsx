import { useState, type ReactElement } from 'react'
import { Button } from '../../components/Button'
import { Icon } from '../../components/Icon'
import { engineText, useLang, useT } from '../../i18n'
import { formatMoney } from '../../lib/format'
import type { CreateJobsReply } from '../../shared'
import { sendHeld } from './submit'

export interface HeldInfo {
  ids: string[]
  note: string | null
  noteCode?: string | null
  noteParams?: Record<string, string | number> | null
  estimate: number | null
}

/** What a `jobs.create` reply held back (over the daily cap), or null when it sent everything. */
export function heldFrom(reply: CreateJobsReply): HeldInfo | null {
  if (!reply.ok || !reply.held) return null
  const first = reply.jobs[0]
  return { ids: reply.jobs.map((j) => j.id), note: reply.note, noteCode: first?.noteCode ?? null, noteParams: first?.noteParams ?? null, estimate: reply.estimate }
}

/** Jobs over the daily budget wait; this says why and offers to send them anyway. `onDone` clears it. */
export function HeldNotice({ held, onDone }: { held: HeldInfo; onDone: () => void }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const [busy, setBusy] = useState(false)
  const onSend = async (): Promise<void> => {
    setBusy(true)
    try {
      if (await sendHeld(held.ids)) onDone()
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="notice notice-warn" role="alert" data-testid="held-notice">
      <Icon name="alert" />
      <div className="notice-text">
        <p className="notice-title">{t('held.title', { count: held.ids.length })}</p>
        <p>{held.note ? engineText(lang, held.note, held.noteCode, held.noteParams) : t('held.body')}</p>
        {held.estimate !== null ? <p className="hint">{t('held.estimate', { amount: formatMoney(held.estimate, lang) })}</p> : null}
      </div>
      <div className="notice-actions">
        <Button size="sm" onClick={onDone}>
          {t('held.later')}
        </Button>
        <Button size="sm" variant="primary" icon="send" busy={busy} onClick={() => void onSend()} data-testid="send-anyway">
          {t('held.sendAnyway')}
        </Button>
      </div>
    </div>
  )
}
