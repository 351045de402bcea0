/// <reference types="vite/client" />
import type { StudioApi } from '../../shared/ipc/contract'

declare global {
  interface Window {
    /** Set by the preload script (or the browser test host) before the app starts. */
    api: StudioApi
  }
}

export {}
