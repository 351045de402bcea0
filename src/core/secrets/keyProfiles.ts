// Named API keys: labels, per-key daily caps and which key is the default, in the database the app
// and the CLI share. The keys themselves are never here: they live in the keychain (keyVault.ts),
// one entry per profile id. Jobs and spend rows carry the profile id they were sent with.
import { randomBytes } from 'node:crypto'
import { DEFAULT_KEY_ID, keyLabelProblem } from '../../shared/keys'
import { msg, SentenceError, type Message } from '../../shared/messages'
import type { Db } from '../db/database'

export interface KeyProfileRow {
  id: string
  label: string
  dailyCap: number | null
  createdAt: number
}

export class KeyProfileError extends SentenceError {
  constructor(sentence: Message) {
    super(sentence)
    this.name = 'KeyProfileError'
  }
}

const DEFAULT_POINTER = 'keys.default'

export class KeyProfiles {
  constructor(private readonly db: Db) {}

  list(): KeyProfileRow[] {
    return (this.db.prepare('SELECT id, label, daily_cap, created_at FROM api_keys ORDER BY created_at, label').all() as { id: string; label: string; daily_cap: number | null; created_at: number }[]).map(
      (r) => ({ id: r.id, label: r.label, dailyCap: r.daily_cap, createdAt: r.created_at })
    )
  }

  get(id: string): KeyProfileRow | null {
    return this.list().find((p) => p.id === id) ?? null
  }

  /** By id or by label (any case): what a person types after `--key`. */
  find(nameOrId: string): KeyProfileRow | null {
    const t = nameOrId.trim().toLowerCase()
    const all = this.list()
    return all.find((p) => p.id === nameOrId) ?? all.find((p) => p.label.toLowerCase() === t) ?? null
  }

  /** The profile new jobs use unless told otherwise (the 'default' profile when none was chosen or it is gone). */
  defaultId(): string {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(DEFAULT_POINTER) as { value: string } | undefined
    let id: unknown = null
    try {
      id = row ? JSON.parse(row.value) : null
    } catch {
      id = null
    }
    if (typeof id === 'string' && this.get(id)) return id
    return this.get(DEFAULT_KEY_ID) ? DEFAULT_KEY_ID : (this.list()[0]?.id ?? DEFAULT_KEY_ID)
  }

  setDefault(id: string): void {
    this.mustGet(id)
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(DEFAULT_POINTER, JSON.stringify(id))
  }

  /** A new, empty profile: the caller stores its key under the returned id, then calls `add`. */
  newId(): string {
    return `k-${randomBytes(6).toString('hex')}`
  }

  /** Checks a label for a new or renamed profile; throws a KeyProfileError that says what to change. */
  checkLabel(label: string, exceptId?: string): string {
    const problem = keyLabelProblem(label)
    if (problem) throw new KeyProfileError(msg(problem))
    const t = label.trim()
    const taken = this.list().find((p) => p.label.toLowerCase() === t.toLowerCase() && p.id !== exceptId)
    if (taken) throw new KeyProfileError(msg('keyLabel.taken', { label: t }))
    return t
  }

  add(id: string, label: string, now: number): KeyProfileRow {
    const t = this.checkLabel(label)
    this.db.prepare('INSERT INTO api_keys (id, label, daily_cap, created_at) VALUES (?, ?, NULL, ?)').run(id, t, now)
    return this.mustGet(id)
  }

  rename(id: string, label: string): KeyProfileRow {
    this.mustGet(id)
    const t = this.checkLabel(label, id)
    this.db.prepare('UPDATE api_keys SET label = ? WHERE id = ?').run(t, id)
    return this.mustGet(id)
  }

  setCap(id: string, cap: number | null): KeyProfileRow {
    this.mustGet(id)
    if (cap !== null && (!Number.isFinite(cap) || cap < 0)) throw new KeyProfileError(msg('keyCap.invalid'))
    this.db.prepare('UPDATE api_keys SET daily_cap = ? WHERE id = ?').run(cap, id)
    return this.mustGet(id)
  }

  /** Deletes the profile (its jobs and spend keep its id, shown as a removed key). Never the default one. */
  remove(id: string): void {
    this.mustGet(id)
    if (id === this.defaultId()) throw new KeyProfileError(msg('keyRemove.isDefault'))
    this.db.prepare('DELETE FROM api_keys WHERE id = ?').run(id)
  }

  private mustGet(id: string): KeyProfileRow {
    const p = this.get(id)
    if (!p) throw new KeyProfileError(msg('keyProfile.unknown', { key: id }))
    return p
  }
}
