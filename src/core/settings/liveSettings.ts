// The settings in force now: what is stored, under this process's overrides (CLI flags, tests).
import type { Settings } from '../../shared/settings'
import type { SettingsStore } from './settingsStore'

export class LiveSettings {
  private value: Settings

  constructor(
    private readonly store: SettingsStore,
    private readonly overrides: Partial<Settings> = {}
  ) {
    this.value = { ...store.get(), ...overrides }
  }

  get current(): Settings {
    return this.value
  }

  /** Stores the patch; what the person just set wins over this process's overrides. */
  update(patch: Partial<Settings>): Settings {
    const stored = this.store.update(patch)
    this.value = { ...stored, ...this.overrides, ...patch }
    return this.value
  }
}
