// Where main asks the page to go: a click on a notification, a command of the application menu or
// the tray. Pushed as the `app.navigate` event; the renderer's store turns it into a route.

/** The queue's filter chips a navigation may pick (the renderer owns the full list). */
export type QueueNavFilter = 'all' | 'active' | 'attention'

export type AppNavigation =
  /** The queue: one job's details (`jobId`), or one batch's jobs (`batchId`), optionally under one filter. */
  | { to: 'queue'; jobId?: string; batchId?: string; filter?: QueueNavFilter }
  | { to: 'compose' | 'batch' | 'compare' | 'library' | 'spend' | 'settings' }
  /** The keyboard shortcuts dialog. */
  | { to: 'help' }
  /** Open the library folder in the file manager: asked through the page, so a failure is said in its language. */
  | { to: 'libraryFolder' }
