// Entry: wait for the bridge to main (the preload installs it at once; a test host may install
// it a moment later), then boot the stores and render.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './styles/index.css'
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
