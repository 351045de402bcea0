import type { ReactElement } from 'react'
import { Button } from '../../components/Button'
import { Icon } from '../../components/Icon'
import { engineText, useLang, useT } from '../../i18n'
import { formatMoney } from '../../lib/format'

export interface HeldInfo {
  ids: string[]
  note: string | null
  noteCode?: string | null
  noteParams?: Record<string, string | number> | null
  estimate: number | null
}

/** Jobs over the daily budget wait; this says why and offers to send them anyway. */
export function HeldNotice({ held, onSend, onDismiss, busy }: { held: HeldInfo; onSend: () => void; onDismiss: () => void; busy?: boolean }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  return (
    <div className="notice notice-warn" role="alert" data-testid="held-notice">
      <Icon name="alert" />
      <div className="notice-text">
        <p className="notice-title">{t('held.title', { count: held.ids.length })}</p>
        <p>{held.note ? engineText(lang, held.note, held.noteCode, held.noteParams) : t('held.body')}</p>
        {held.estimate !== null ? <p className="hint">{t('held.estimate', { amount: formatMoney(held.estimate, lang) })}</p> : null}
      </div>
      <div className="notice-actions">
        <Button size="sm" onClick={onDismiss}>
          {t('held.later')}
        </Button>
        <Button size="sm" variant="primary" icon="send" busy={busy} onClick={onSend} data-testid="send-anyway">
          {t('held.sendAnyway')}
        </Button>
      </div>
    </div>
  )
}
