// Start-up: ask main for everything the first screen needs, then keep it fresh from events.
import { errorMessage } from './api'
import { appClient } from './clients/appClient'
import { catalogClient } from './clients/catalogClient'
import { jobsClient } from './clients/jobsClient'
import { keyClient } from './clients/keyClient'
import { libraryClient } from './clients/libraryClient'
import { settingsClient } from './clients/settingsClient'
import { spendClient } from './clients/spendClient'
import { followNavigation } from './features/shell/navigation'
import { resolveLanguage, useLang } from './i18n'
import type { Settings } from './shared'
import { navigate, useApp } from './store/app'
import { useJobs } from './store/jobs'
import { useLibrary } from './store/library'
import { forgetLibraryItems } from './store/mediaCache'
import { useSpend } from './store/spend'
import { loadUpdates, subscribeUpdates } from './store/updates'

export function applySettings(settings: Settings): void {
  useApp.setState({ settings })
  applyLanguage()
  applyTheme()
}

export function applyLanguage(): void {
  const { settings, info } = useApp.getState()
  useLang.getState().setLang(resolveLanguage(settings?.language, info?.systemLocale ?? navigator.language))
}

const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null

export function applyTheme(): void {
  const setting = useApp.getState().settings?.theme ?? 'system'
  const dark = setting === 'dark' || (setting === 'system' && (darkQuery?.matches ?? false))
  document.documentElement.dataset.theme = dark ? 'dark' : 'light'
}

export async function loadCatalog(refresh = false): Promise<void> {
  useApp.setState((s) => ({ catalog: { ...s.catalog, loading: true } }))
  try {
    const reply = await catalogClient.list(refresh)
    useApp.setState({ catalog: { models: reply.models, fetchedAt: reply.fetchedAt, problem: reply.problem, loading: false, error: null } })
  } catch (error) {
    useApp.setState((s) => ({ catalog: { ...s.catalog, loading: false, error: errorMessage(error) } }))
  }
}

/** The first screenful at once, then the rest of a long queue in pages, without blocking the screen. */
const FIRST_PAGE = 60
const NEXT_PAGE = 2000

export async function loadJobs(): Promise<void> {
  try {
    const first = await jobsClient.list({ limit: FIRST_PAGE })
    useJobs.getState().load(first.jobs)
    // Let the first screen paint before the rest arrives and is merged.
    if (first.total > first.jobs.length) await new Promise((r) => setTimeout(r, 400))
    for (let offset = first.jobs.length; offset < first.total; offset += NEXT_PAGE) {
      const page = await jobsClient.list({ limit: NEXT_PAGE, offset })
      useJobs.getState().loadMore(page.jobs)
      if (page.jobs.length < NEXT_PAGE) break
    }
  } catch (error) {
    useJobs.getState().fail(errorMessage(error))
  }
}

export async function refreshKey(): Promise<void> {
  try {
    const key = await keyClient.status()
    useApp.setState({ key })
  } catch {
    // Keep what we had; the settings screen shows the status it can.
  }
}

let started = false

export async function boot(): Promise<void> {
  if (started) return
  started = true
  darkQuery?.addEventListener('change', applyTheme)
  subscribe()
  // The queue and the model list do not wait for the rest of start-up.
  void loadJobs()
  void loadCatalog()
  void loadUpdates()
  const [info, key, settings, engine] = await Promise.allSettled([
    appClient.info(),
    keyClient.status(),
    settingsClient.get(),
    appClient.engineStatus()
  ])
  useApp.setState({
    info: info.status === 'fulfilled' ? info.value : null,
    key: key.status === 'fulfilled' ? key.value : null,
    engine: engine.status === 'fulfilled' ? engine.value : null
  })
  if (settings.status === 'fulfilled') applySettings(settings.value)
  else {
    applyLanguage()
    applyTheme()
  }
  if (key.status === 'fulfilled' && !key.value.set) navigate({ name: 'firstRun' })
  void useLibrary.getState().loadFacets()
}

function subscribe(): void {
  jobsClient.onChanged((patch) => useJobs.getState().apply(patch))
  appClient.onEngineStatus((engine) => useApp.setState({ engine }))
  settingsClient.onChanged((settings) => applySettings(settings))
  subscribeUpdates()
  catalogClient.onChanged(() => void loadCatalog())
  spendClient.onChanged(() => {
    if (useSpend.getState().summary) void useSpend.getState().load()
  })
  libraryClient.onChanged(({ itemIds }) => {
    forgetLibraryItems(itemIds)
    const lib = useLibrary.getState()
    if (lib.total !== null) void lib.refreshItems(itemIds)
    // Not shown yet: no items to refresh, but its filters must know the models of the new videos.
    else void lib.loadFacets()
  })
  appClient.onNavigate(followNavigation)
}
