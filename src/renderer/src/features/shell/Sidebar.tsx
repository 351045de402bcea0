import type { ReactElement } from 'react'
import { Brand } from '../../components/Brand'
import { Icon, type IconName } from '../../components/Icon'
import { useT, type MessageKey } from '../../i18n'
import { shortcutLabel } from '../../lib/platform'
import { navigate, useApp, type ScreenName } from '../../store/app'
import { useBatch } from '../../store/batch'
import { useJobs } from '../../store/jobs'
import { filterCount } from '../../store/jobsModel'
import { UpdateNotice } from '../common/UpdateNotice'
import './sidebar.css'

interface NavItem {
  name: ScreenName
  icon: IconName
  label: MessageKey
  shortcut: string
}

export const NAV_ITEMS: NavItem[] = [
  { name: 'compose', icon: 'compose', label: 'nav.compose', shortcut: '1' },
  { name: 'batch', icon: 'batch', label: 'nav.batch', shortcut: '2' },
  { name: 'compare', icon: 'compare', label: 'nav.compare', shortcut: '3' },
  { name: 'queue', icon: 'queue', label: 'nav.queue', shortcut: '4' },
  { name: 'library', icon: 'library', label: 'nav.library', shortcut: '5' },
  { name: 'spend', icon: 'spend', label: 'nav.spend', shortcut: '6' },
  { name: 'settings', icon: 'settings', label: 'nav.settings', shortcut: '7' }
]

export function Sidebar(): ReactElement {
  const t = useT()
  const route = useApp((s) => s.route)
  const current = route.name === 'player' ? route.back : route.name
  const active = useJobs((s) => filterCount(s.counts, 'active'))
  const attention = useJobs((s) => filterCount(s.counts, 'attention'))
  const batchCount = useBatch((s) => s.cards.length)
  return (
    <nav className="sidebar" aria-label={t('nav.label')}>
      <Brand />
      <ul className="nav-list">
        {NAV_ITEMS.map((item) => {
          const badge = item.name === 'queue' ? active : item.name === 'batch' ? batchCount : 0
          return (
            <li key={item.name}>
              <button
                type="button"
                className={`nav-item ${current === item.name ? 'is-active' : ''}`}
                aria-current={current === item.name ? 'page' : undefined}
                data-testid={`nav-${item.name}`}
                title={`${t(item.label)} (${shortcutLabel(item.shortcut)})`}
                onClick={() => navigate({ name: item.name } as Parameters<typeof navigate>[0])}
              >
                <Icon name={item.icon} />
                <span className="nav-label">{t(item.label)}</span>
                {badge > 0 ? (
                  <span className="nav-badge" data-testid={`nav-${item.name}-count`} aria-label={t('nav.badge', { count: badge })}>
                    {badge > 999 ? '999+' : badge}
                  </span>
                ) : null}
                {item.name === 'queue' && attention > 0 ? <span className="nav-dot" title={t('nav.attention', { count: attention })} data-testid="nav-queue-attention" /> : null}
              </button>
            </li>
          )
        })}
      </ul>
      <div className="sidebar-footer">
        <UpdateNotice />
        <button type="button" className="nav-item" data-testid="open-help" onClick={() => useApp.getState().setHelpOpen(true)}>
          <Icon name="help" />
          <span className="nav-label">{t('nav.help')}</span>
          <kbd className="kbd kbd-quiet">?</kbd>
        </button>
      </div>
    </nav>
  )
}
