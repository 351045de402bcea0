import { useEffect, type ReactElement } from 'react'
import { DialogHost } from './components/Modal'
import { Toasts } from './components/Toasts'
import { BatchScreen } from './features/batch/BatchScreen'
import { CompareScreen } from './features/compare/CompareScreen'
import { ComposeScreen } from './features/compose/ComposeScreen'
import { DropOverlay } from './features/batch/DropOverlay'
import { FirstRun } from './features/firstRun/FirstRun'
import { HelpDialog } from './features/help/HelpDialog'
import { LibraryScreen } from './features/library/LibraryScreen'
import { PlayerScreen } from './features/player/PlayerScreen'
import { EngineBanner } from './features/queue/EngineBanner'
import { QueueScreen } from './features/queue/QueueScreen'
import { SettingsScreen } from './features/settings/SettingsScreen'
import { useGlobalShortcuts } from './features/shell/shortcuts'
import { Sidebar } from './features/shell/Sidebar'
import { SpendScreen } from './features/spend/SpendScreen'
import { useT } from './i18n'
import { useApp } from './store/app'

export function App(): ReactElement {
  const route = useApp((s) => s.route)
  const helpOpen = useApp((s) => s.helpOpen)
  const t = useT()
  useGlobalShortcuts()
  useEffect(() => {
    document.title = t('app.title')
  }, [t])

  if (route.name === 'firstRun') {
    return (
      <>
        <FirstRun />
        <Toasts />
        <DialogHost />
      </>
    )
  }
  return (
    <div className="shell">
      <Sidebar />
      <main className="content" id="main" data-route={route.name}>
        <EngineBanner />
        <Screen />
      </main>
      <DropOverlay />
      {helpOpen ? <HelpDialog /> : null}
      <Toasts />
      <DialogHost />
    </div>
  )
}

function Screen(): ReactElement {
  const route = useApp((s) => s.route)
  switch (route.name) {
    case 'compose':
      return <ComposeScreen />
    case 'batch':
      return <BatchScreen />
    case 'compare':
      return <CompareScreen />
    case 'queue':
      return <QueueScreen focusId={route.focusId} batchId={route.batchId} filter={route.filter} nonce={route.nonce} />
    case 'library':
      return <LibraryScreen />
    case 'player':
      return <PlayerScreen key={route.itemId} itemId={route.itemId} back={route.back} />
    case 'spend':
      return <SpendScreen />
    case 'settings':
      return <SettingsScreen section={route.section} />
    default:
      return <ComposeScreen />
  }
}
