// Settings in the database's `settings` table: one JSON value per key, defaults for the rest.
import type { Db } from '../db/database'
import { DEFAULT_ENGINE_SETTINGS, DEFAULT_UI_SETTINGS, SETTINGS_LIMITS, type Settings } from '../../shared/settings'
import { normalizeProxySettings } from '../../shared/proxy'

export class SettingsStore {
  constructor(
    private readonly db: Db,
    private readonly defaultLibraryDir: string
  ) {}

  private raw(key: string): unknown {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
    if (!row) return undefined
    try {
      return JSON.parse(row.value)
    } catch {
      return undefined
    }
  }

  getValue<T>(key: string): T | undefined {
    return this.raw(key) as T | undefined
  }

  setValue(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value))
  }

  deleteValue(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key)
  }

  /** Runs `fn` in one write transaction taken at once, so a read-then-write cannot interleave with another process. */
  exclusively<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate()
  }

  get(): Settings {
    const defaults: Settings = { ...DEFAULT_ENGINE_SETTINGS, ...DEFAULT_UI_SETTINGS, libraryDir: this.defaultLibraryDir }
    const out: Record<string, unknown> = { ...defaults }
    for (const key of Object.keys(defaults)) {
      const v = this.raw(`settings.${key}`)
      const d = (defaults as unknown as Record<string, unknown>)[key]
      if (v === undefined) continue
      if (d === null || typeof v === typeof d || (key === 'dailyBudget' && (v === null || typeof v === 'number'))) out[key] = v
    }
    return clampSettings(out as unknown as Settings)
  }

  update(patch: Partial<Settings>): Settings {
    const next = clampSettings({ ...this.get(), ...patch })
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) continue
        this.setValue(`settings.${k}`, (next as unknown as Record<string, unknown>)[k])
      }
    })()
    return next
  }
}

export function clampSettings(s: Settings): Settings {
  const out = { ...s }
  for (const [k, lim] of Object.entries(SETTINGS_LIMITS) as [keyof typeof SETTINGS_LIMITS, { min: number; max: number }][]) {
    const v = Number(out[k])
    out[k] = Number.isFinite(v) ? Math.min(lim.max, Math.max(lim.min, v)) : (DEFAULT_ENGINE_SETTINGS[k] as number)
  }
  if (out.dailyBudget !== null && !(typeof out.dailyBudget === 'number' && out.dailyBudget >= 0)) out.dailyBudget = null
  out.proxy = normalizeProxySettings(out.proxy)
  return out
}
