import type { ReactElement } from 'react'
import { Kbd } from '../../components/Feedback'
import { Modal } from '../../components/Modal'
import { useT, type MessageKey } from '../../i18n'
import { MOD_KEY } from '../../lib/platform'
import { useApp } from '../../store/app'
import './help.css'


const GROUPS: { title: MessageKey; rows: [string[], MessageKey][] }[] = [
  {
    title: 'help.general',
    rows: [
      [['?'], 'help.openHelp'],
      [[MOD_KEY, '1…7'], 'help.switchScreen'],
      [['Tab'], 'help.moveFocus'],
      [['Esc'], 'help.closeDialog']
    ]
  },
  {
    title: 'help.compose',
    rows: [
      [[MOD_KEY, 'Enter'], 'help.submit'],
      [['/'], 'help.focusSearch']
    ]
  },
  {
    title: 'help.library',
    rows: [
      [['Shift', 'help.click'], 'help.selectRange'],
      [[MOD_KEY, 'A'], 'help.selectAll'],
      [['Esc'], 'help.clearSelection']
    ]
  },
  {
    title: 'help.player',
    rows: [
      [['Space'], 'help.playPause'],
      [['←', '→'], 'help.seek5'],
      [['J'], 'help.back10'],
      [['K'], 'help.pause'],
      [['L'], 'help.forward10'],
      [['F'], 'help.fullscreen'],
      [['M'], 'help.mute'],
      [['PgUp', 'Shift+P'], 'help.previousVideo'],
      [['PgDn', 'Shift+N'], 'help.nextVideo']
    ]
  }
]

export function HelpDialog(): ReactElement {
  const t = useT()
  const close = (): void => useApp.getState().setHelpOpen(false)
  return (
    <Modal title={t('help.title')} onClose={close} onSubmit={close} testId="help-dialog" wide>
      <div className="help-grid">
        {GROUPS.map((g) => (
          <section key={g.title}>
            <h3 className="section-label">{t(g.title)}</h3>
            <dl className="shortcut-list">
              {g.rows.map(([keys, label]) => (
                <div key={label} className="shortcut-row">
                  <dt>{t(label)}</dt>
                  <dd>
                    {keys.map((k) => (
                      <Kbd key={k}>{k.startsWith('help.') ? t(k as MessageKey) : k}</Kbd>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Modal>
  )
}
