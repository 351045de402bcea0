// Transient messages in the corner. Errors stay longer than confirmations; an action button is optional.
import { create } from 'zustand'

export type ToastKind = 'info' | 'success' | 'error'

export interface Toast {
  id: number
  kind: ToastKind
  message: string
  /** Optional detail line (a request id, a file name). */
  detail?: string
  action?: { label: string; run: () => void }
}

interface ToastState {
  toasts: Toast[]
  push(toast: Omit<Toast, 'id'>): number
  dismiss(id: number): void
}

let nextId = 1
const MAX_VISIBLE = 5

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  push(toast) {
    const id = nextId++
    set((s) => {
      // The same message twice in a row (a burst of identical failures) shows once.
      const rest = s.toasts.filter((x) => x.message !== toast.message)
      return { toasts: [...rest, { ...toast, id }].slice(-MAX_VISIBLE) }
    })
    return id
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) }))
  }
}))

export function toastError(message: string, detail?: string): number {
  return useToasts.getState().push({ kind: 'error', message, detail })
}

export function toastSuccess(message: string, action?: Toast['action']): number {
  return useToasts.getState().push({ kind: 'success', message, action })
}

export function toastInfo(message: string): number {
  return useToasts.getState().push({ kind: 'info', message })
}

/** How long a toast stays, by kind (ms). */
export function toastLifetime(kind: ToastKind): number {
  return kind === 'error' ? 9000 : 4500
}
