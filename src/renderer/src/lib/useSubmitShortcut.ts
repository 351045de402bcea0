import { useEffect, useRef } from 'react'

/** Ctrl/Cmd+Enter anywhere on the screen submits it (not while a dialog is open). */
export function useSubmitShortcut(submit: () => unknown): void {
  const latest = useRef(submit)
  latest.current = submit
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !document.querySelector('dialog[open]')) {
        e.preventDefault()
        void latest.current()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
