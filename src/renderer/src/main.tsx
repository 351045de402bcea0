// Entry: wait for the bridge to main (the preload installs it at once; a test host may install
// it a moment later), then boot the stores and render.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './styles/index.css'
// The Chinese fallback for systems without a CJK font (a bare Linux): Noto Sans SC, bundled, cut into
// unicode-range slices so the browser fetches a slice only when a character in it is drawn and no
// earlier font in --font has it. Only the weights the UI uses: 400 text, 500 labels, 600 headings
// (the 650/700 titles get the 600 face, the nearest heavier-or-lighter one, without faux bold).
import '@fontsource/noto-sans-sc/400.css'
import '@fontsource/noto-sans-sc/500.css'
import '@fontsource/noto-sans-sc/600.css'
import { apiReady } from './api'
import { App } from './App'
import { boot } from './boot'

declare global {
  interface Window {
    /** Set by a host that installs the bridge later than the first script: call to start the app. */
    __cvsStart?: () => void
  }
}

function start(): void {
  const root = document.getElementById('root')
  if (!root) return
  void boot()
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>
  )
}

function waitForApi(): void {
  if (apiReady()) {
    start()
    return
  }
  let done = false
  const go = (): void => {
    if (done || !apiReady()) return
    done = true
    start()
  }
  window.__cvsStart = go
  window.addEventListener('cvs:api-ready', go)
  const timer = window.setInterval(() => {
    if (apiReady()) {
      window.clearInterval(timer)
      go()
    }
  }, 25)
}

waitForApi()
