import type { ReactElement } from 'react'
import { useT } from '../i18n'
import { Icon } from './Icon'

/** The app's mark and name: small in the sidebar, large on the first-run card. */
export function Brand({ large = false }: { large?: boolean }): ReactElement {
  const t = useT()
  return (
    <div className={large ? 'brand brand-large' : 'brand'}>
      <span className="brand-mark" aria-hidden="true">
        <Icon name="compose" size={large ? 20 : 15} />
      </span>
      <span className="brand-name">{t('app.name')}</span>
    </div>
  )
}
