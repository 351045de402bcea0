// Promise-based confirm and prompt dialogs, rendered once by <DialogHost>.
import { create } from 'zustand'

export interface ConfirmRequest {
  kind: 'confirm'
  title: string
  body?: string
  confirmLabel: string
  cancelLabel?: string
  danger?: boolean
  testId?: string
  resolve(ok: boolean): void
}

export interface PromptRequest {
  kind: 'prompt'
  title: string
  body?: string
  label: string
  initial?: string
  confirmLabel: string
  multiline?: boolean
  testId?: string
  resolve(value: string | null): void
}

type Request = (ConfirmRequest | PromptRequest) & { id?: number }

let nextId = 1

interface DialogState {
  current: Request | null
  queue: Request[]
  open(request: Request): void
  close(): void
}

export const useDialogs = create<DialogState>((set) => ({
  current: null,
  queue: [],
  open(request) {
    request.id = nextId++
    set((s) => (s.current ? { queue: [...s.queue, request] } : { current: request }))
  },
  close() {
    set((s) => ({ current: s.queue[0] ?? null, queue: s.queue.slice(1) }))
  }
}))

export function confirmDialog(options: Omit<ConfirmRequest, 'kind' | 'resolve'>): Promise<boolean> {
  return new Promise((resolve) => useDialogs.getState().open({ ...options, kind: 'confirm', resolve }))
}

export function promptDialog(options: Omit<PromptRequest, 'kind' | 'resolve'>): Promise<string | null> {
  return new Promise((resolve) => useDialogs.getState().open({ ...options, kind: 'prompt', resolve }))
}
