// What main asks the page to show (a notification clicked, a command of the menu or the tray),
// turned into a route — under the same rules as the page's own shortcuts.
import { libraryClient } from '../../clients/libraryClient'
import type { AppNavigation } from '../../shared'
import { navigate, useApp } from '../../store/app'

export function followNavigation(to: AppNavigation): void {
  const app = useApp.getState()
  if (to.to === 'help') {
    app.setHelpOpen(true)
    return
  }
  if (to.to === 'libraryFolder') {
    // Asked here so a missing folder is said in a toast in the person's language.
    void libraryClient.openFolder()
    return
  }
  // The key comes first: the first-run screen stays until it is set or skipped.
  if (app.route.name === 'firstRun') return
  app.setHelpOpen(false)
  if (to.to === 'queue') navigate({ name: 'queue', focusId: to.jobId, batchId: to.batchId, filter: to.filter, nonce: Date.now() })
  else navigate({ name: to.to })
}
