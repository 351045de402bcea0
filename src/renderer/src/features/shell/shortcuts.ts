// App-wide keys: ? opens help, Ctrl/Cmd+1…7 switch screens. Screen keys (player, compose) live with their screens.
import { useEffect } from 'react'
import { isTyping } from '../../lib/isTyping'
import { navigate, useApp } from '../../store/app'
import { NAV_ITEMS } from './Sidebar'

export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (document.querySelector('dialog[open]')) return
      const mod = e.ctrlKey || e.metaKey
      if (mod && !e.shiftKey && !e.altKey && /^[1-7]$/.test(e.key)) {
        const item = NAV_ITEMS[Number(e.key) - 1]
        if (item && useApp.getState().route.name !== 'firstRun') {
          e.preventDefault()
          navigate({ name: item.name } as Parameters<typeof navigate>[0])
        }
        return
      }
      if (e.key === '?' && !mod && !isTyping(e.target)) {
        e.preventDefault()
        useApp.getState().setHelpOpen(true)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
