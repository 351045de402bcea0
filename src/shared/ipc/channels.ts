// Channel names alone, without the schemas: the sandboxed preload needs only these, and bundling
// zod into it would be dead weight. contract.ts checks at compile time that the lists match.

/** Sent by the preload itself from trusted events; the page's window.api cannot call it. */
export const PRELOAD_ONLY_CHANNELS: readonly string[] = ['files.chosen']

export const INVOKE_CHANNEL_NAMES = [
  'app.info',
  'key.status',
  'key.set',
  'key.clear',
  'keys.list',
  'keys.add',
  'keys.update',
  'keys.remove',
  'engine.status',
  'engine.pause',
  'catalog.list',
  'jobs.list',
  'jobs.validate',
  'jobs.create',
  'jobs.cancel',
  'jobs.retry',
  'jobs.duplicate',
  'jobs.remix',
  'jobs.decide',
  'jobs.decideMany',
  'jobs.retryDownload',
  'jobs.contact',
  'jobs.confirmHeld',
  'jobs.remove',
  'jobs.open',
  'jobs.showInFolder',
  'jobs.details',
  'jobs.retryFailed',
  'jobs.cancelMany',
  'files.inspect',
  'files.chosen',
  'files.saveFixedImage',
  'library.list',
  'library.get',
  'library.facets',
  'library.favorite',
  'library.tags',
  'library.poster',
  'library.delete',
  'library.rescan',
  'library.open',
  'library.showInFolder',
  'library.ids',
  'library.favoriteMany',
  'library.tagMany',
  'library.deleteMany',
  'library.export',
  'library.saveCopy',
  'library.openFolder',
  'spend.summary',
  'settings.get',
  'settings.update',
  'settings.chooseFolder',
  'settings.moveLibrary',
  'proxy.status',
  'proxy.set',
  'watch.list',
  'watch.add',
  'watch.inspect',
  'watch.remove',
  'watch.pause',
  'shell.openExternal',
  'updates.state',
  'updates.check',
  'updates.restart',
  'updates.dismiss'
] as const

export const EVENT_CHANNEL_NAMES = [
  'jobs.changed',
  'engine.status',
  'library.changed',
  'catalog.changed',
  'spend.changed',
  'settings.changed',
  'watch.changed',
  'app.navigate',
  'updates.changed'
] as const

/**
 * One-way messages from the page (ipcRenderer.send, no reply): for what main must do at once,
 * inside the page's event, e.g. start the OS drag of a file while the mouse is still down.
 */
export const SEND_CHANNEL_NAMES = ['drag.start'] as const

/** The IPC channel name on the wire. */
export const wireName = (c: string): string => `cvs:${c}`
