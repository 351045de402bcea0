// The compose draft. Kept outside the component so navigating away and back keeps the work.
import { create } from 'zustand'
import type { CatalogModel, FieldError, ImageCard, JobSpec, RememberedFields } from '../shared'
import { draftForModel, draftFromSpec, emptyDraft, type ComposeDraft } from './composeModel'

interface ComposeState {
  draft: ComposeDraft
  /** Errors from jobs.validate / jobs.create, cleared on the next edit of their field. */
  serverErrors: FieldError[]
  attempted: boolean
  /** Note shown when a prefilled item had source images that cannot be restored. */
  notice: string | null
  /** Bumped to move focus to the prompt after a prefill. */
  focusNonce: number
  update(patch: Partial<ComposeDraft>): void
  /** `remembered`: the fields the person last sent this model with. */
  setModel(model: CatalogModel, remembered?: RememberedFields): void
  setServerErrors(errors: FieldError[]): void
  setAttempted(attempted: boolean): void
  prefill(spec: Partial<JobSpec>, model: CatalogModel | undefined, notice?: string | null): void
  setImages(images: ImageCard[]): void
}

export const useCompose = create<ComposeState>((set) => ({
  draft: emptyDraft(),
  serverErrors: [],
  attempted: false,
  notice: null,
  focusNonce: 0,
  update(patch) {
    set((s) => {
      const touched = Object.keys(patch)
      return {
        draft: { ...s.draft, ...patch },
        serverErrors: s.serverErrors.filter((e) => !touched.some((f) => e.field === f || e.field.startsWith(`${f}[`)))
      }
    })
  },
  setModel(model, remembered) {
    set((s) => ({ draft: draftForModel(s.draft, model, remembered), serverErrors: [] }))
  },
  setServerErrors(serverErrors) {
    set({ serverErrors })
  },
  setAttempted(attempted) {
    set({ attempted })
  },
  prefill(spec, model, notice = null) {
    set((s) => ({ draft: draftFromSpec(spec, model), serverErrors: [], attempted: false, notice, focusNonce: s.focusNonce + 1 }))
  },
  setImages(images) {
    set((s) => ({ draft: { ...s.draft, images }, serverErrors: s.serverErrors.filter((e) => !e.field.startsWith('images')) }))
  }
}))
