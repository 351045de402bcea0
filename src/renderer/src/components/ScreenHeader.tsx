import type { ReactElement, ReactNode } from 'react'

export function ScreenHeader({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children?: ReactNode }): ReactElement {
  return (
    <header className="screen-header">
      <div className="screen-titles">
        <h1 className="screen-title">{title}</h1>
        {subtitle ? <p className="screen-subtitle">{subtitle}</p> : null}
      </div>
      {children ? <div className="screen-actions">{children}</div> : null}
    </header>
  )
}
