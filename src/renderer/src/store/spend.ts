import { create } from 'zustand'
import { errorMessage } from '../api'
import { spendClient } from '../clients/spendClient'
import type { SpendSummary } from '../shared'

interface SpendState {
  summary: SpendSummary | null
  loading: boolean
  error: string | null
  load(): Promise<void>
}

export const useSpend = create<SpendState>((set) => ({
  summary: null,
  loading: false,
  error: null,
  async load() {
    set({ loading: true })
    try {
      const summary = await spendClient.summary()
      set({ summary, loading: false, error: null })
    } catch (error) {
      set({ loading: false, error: errorMessage(error) })
    }
  }
}))
