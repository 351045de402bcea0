// Dropped images waiting to become jobs.
import { create } from 'zustand'
import type { CropPosition } from '../lib/crop'
import type { FieldError, ImageCard, RejectedFile } from '../shared'
import { markDuplicates, mergeCards, replaceCard, type BatchData, type BatchSettings } from './batchModel'

interface BatchState extends BatchData {
  model: string | null
  rejected: RejectedFile[]
  scanned: { folders: number; files: number }
  /** Paths being inspected right now (a drop in progress), for the loading state. */
  inspecting: number
  fixing: ReadonlySet<string>
  /** Where "Resize/crop all" keeps each image (and where a card's own crop starts). */
  cropPosition: CropPosition
  add(cards: ImageCard[], rejected: RejectedFile[], scanned: { folders: number; files: number }): void
  /** Replaces all cards after a model change re-inspected them. */
  reset(cards: ImageCard[], rejected: RejectedFile[]): void
  remove(path: string): void
  clear(): void
  setPrompt(path: string, prompt: string): void
  setShared(prompt: string): void
  setModel(model: string | null): void
  setSettings(patch: Partial<BatchSettings>): void
  toggleKeepDuplicate(path: string): void
  setInspecting(delta: number): void
  setFixing(path: string, on: boolean): void
  replace(oldPath: string, card: ImageCard): void
  setCreateErrors(errors: Record<string, FieldError[]>): void
  setCropPosition(position: CropPosition): void
}

const emptySettings: BatchSettings = { seconds: null, size: '', aspectRatio: '', resolution: '' }

export const useBatch = create<BatchState>((set) => ({
  cards: [],
  prompts: {},
  keepDuplicates: new Set(),
  sharedPrompt: '',
  settings: emptySettings,
  createErrors: {},
  model: null,
  rejected: [],
  scanned: { folders: 0, files: 0 },
  inspecting: 0,
  fixing: new Set(),
  cropPosition: 'center',
  add(cards, rejected, scanned) {
    set((s) => ({
      cards: mergeCards(s.cards, cards),
      rejected: [...s.rejected, ...rejected.filter((r) => !s.rejected.some((x) => x.path === r.path))],
      scanned: { folders: s.scanned.folders + scanned.folders, files: s.scanned.files + scanned.files }
    }))
  },
  reset(cards, rejected) {
    set({ cards: markDuplicates(cards), rejected, createErrors: {} })
  },
  remove(path) {
    set((s) => {
      const prompts = { ...s.prompts }
      delete prompts[path]
      return { cards: markDuplicates(s.cards.filter((c) => c.path !== path)), prompts }
    })
  },
  clear() {
    set({ cards: [], prompts: {}, keepDuplicates: new Set(), rejected: [], scanned: { folders: 0, files: 0 }, createErrors: {} })
  },
  setPrompt(path, prompt) {
    set((s) => {
      const createErrors = { ...s.createErrors }
      delete createErrors[path]
      return { prompts: { ...s.prompts, [path]: prompt }, createErrors }
    })
  },
  setShared(sharedPrompt) {
    set({ sharedPrompt, createErrors: {} })
  },
  setModel(model) {
    set({ model })
  },
  setSettings(patch) {
    set((s) => ({ settings: { ...s.settings, ...patch }, createErrors: {} }))
  },
  toggleKeepDuplicate(path) {
    set((s) => {
      const next = new Set(s.keepDuplicates)
      if (next.has(path)) next.delete(path)
      else next.add(path)
      return { keepDuplicates: next }
    })
  },
  setInspecting(delta) {
    set((s) => ({ inspecting: Math.max(0, s.inspecting + delta) }))
  },
  setFixing(path, on) {
    set((s) => {
      const next = new Set(s.fixing)
      if (on) next.add(path)
      else next.delete(path)
      return { fixing: next }
    })
  },
  replace(oldPath, card) {
    set((s) => {
      const createErrors = { ...s.createErrors }
      delete createErrors[oldPath]
      return { ...replaceCard(s, oldPath, card), createErrors }
    })
  },
  setCreateErrors(createErrors) {
    set({ createErrors })
  },
  setCropPosition(cropPosition) {
    set({ cropPosition })
  }
}))
