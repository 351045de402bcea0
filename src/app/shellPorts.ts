// What the handlers need from the desktop (Electron) or from the browser test host: OS actions
// that have no meaning inside plain Node.
export interface ShellPorts {
  /** Opens a file with the OS default app. */
  openPath(path: string): Promise<boolean>
  showItemInFolder(path: string): void
  /** Moves a file to the OS trash. */
  trashItem(path: string): Promise<void>
  /** The OS folder picker; null when canceled. */
  chooseFolder(): Promise<string | null>
  /** The OS save dialog, starting at `defaultName`; the chosen path, or null when canceled. */
  chooseSaveFile(defaultName: string): Promise<string | null>
  /** Opens an http(s) URL in the browser. */
  openExternal(url: string): Promise<void>
  /** A desktop notification; `onClick` shows where it points (the shell brings the window forward first). */
  notify(title: string, body: string, onClick: () => void): void
  /** Whether the person is looking at the window now (focused and shown); absent: never (a test host). */
  isWindowFocused?(): boolean
}
