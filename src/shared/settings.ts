// Settings every layer agrees on. Stored by the engine in the database (shared by app and CLI).
import { DEFAULT_PROXY_SETTINGS, type ProxySettings } from './proxy'

export type ThemeSetting = 'system' | 'light' | 'dark'
export type LanguageSetting = 'system' | 'en' | 'zh-CN'

export interface EngineSettings {
  baseUrl: string
  /** Absolute path of the library folder. */
  libraryDir: string
  maxConcurrentCreates: number
  maxConcurrentCreatesPerProvider: number
  maxConcurrentDownloads: number
  maxConcurrentDownloadsPerProvider: number
  /** The global API request budget (creates, polls, lookups). */
  requestsPerSecond: number
  /** A job still unfinished this long after it was created is given up (ms). */
  maxJobAgeMs: number
  /** Daily spending cap in the catalog's currency; a batch above it waits for confirmation. null = no cap. */
  dailyBudget: number | null
  /** How requests reach the network (shared/proxy.ts); the proxy's credentials are never here. */
  proxy: ProxySettings
}

/** The fields a person last sent a model with, so Compose opens with them again. */
export interface RememberedFields {
  seconds?: number
  size?: string
  aspectRatio?: string
  resolution?: string
}

/** At most this many models keep their last fields (the oldest are forgotten). */
export const REMEMBERED_MODELS_MAX = 50

export interface UiSettings {
  theme: ThemeSetting
  language: LanguageSetting
  notifications: boolean
  /** Closing the window while videos are being made keeps the app working from the tray (Windows, Linux; a Mac app keeps running anyway). */
  keepRunningInTray: boolean
  /** Check for app updates on start and now and then, and download them in the background (src/app/updates.ts). */
  autoUpdate: boolean
  favoriteModels: string[]
  lastModel: string | null
  /** By model id. */
  lastFields: Record<string, RememberedFields>
}

export type Settings = EngineSettings & UiSettings

export const DEFAULT_ENGINE_SETTINGS: Omit<EngineSettings, 'libraryDir'> = {
  baseUrl: 'https://api.cometapi.com',
  maxConcurrentCreates: 4,
  maxConcurrentCreatesPerProvider: 2,
  maxConcurrentDownloads: 3,
  maxConcurrentDownloadsPerProvider: 2,
  requestsPerSecond: 2,
  maxJobAgeMs: 12 * 3600_000,
  dailyBudget: null,
  proxy: DEFAULT_PROXY_SETTINGS
}

export const DEFAULT_UI_SETTINGS: UiSettings = {
  theme: 'system',
  language: 'system',
  notifications: true,
  keepRunningInTray: true,
  autoUpdate: true,
  favoriteModels: [],
  lastModel: null,
  lastFields: {}
}

export const SETTINGS_LIMITS = {
  maxConcurrentCreates: { min: 1, max: 32 },
  maxConcurrentCreatesPerProvider: { min: 1, max: 32 },
  maxConcurrentDownloads: { min: 1, max: 16 },
  maxConcurrentDownloadsPerProvider: { min: 1, max: 16 },
  requestsPerSecond: { min: 0.2, max: 50 }
} as const
