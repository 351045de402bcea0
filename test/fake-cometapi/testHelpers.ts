// Shared helpers for the fake server's own tests (not a test file itself).
import { readFileSync } from 'node:fs'
import { solidPng } from '../helpers/png'
import type { FakeCometApi } from './server'

export const KEY = 'sk-test-good'
export const T0 = 1_773_296_991_000

const FIXTURES: unknown = JSON.parse(readFileSync(new URL('../fixtures/cometapi/fixtures.json', import.meta.url), 'utf8'))

/** A fixtures.json value by dotted path, e.g. `sora.poll_responses.succeeded`. */
export function fx(path: string): unknown {
  let v: unknown = FIXTURES
  for (const part of path.split('.')) {
    if (!v || typeof v !== 'object') throw new Error(`fixture path ${path} not found at ${part}`)
    v = (v as Record<string, unknown>)[part]
  }
  if (v === undefined) throw new Error(`fixture path ${path} not found`)
  return v
}

/** Keys and value types, recursively (arrays by their first element): what "same shape" means. */
export function shapeOf(v: unknown): unknown {
  if (v === null) return 'null'
  if (Array.isArray(v)) return v.length ? [shapeOf(v[0])] : []
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, shapeOf(o[k])]))
  }
  return typeof v
}

export const keysOf = (v: unknown): string[] => Object.keys(v as Record<string, unknown>).sort()

/** A controllable clock for the fake's `now` option. */
export class Clock {
  t = T0
  now = (): number => this.t
  advance(ms: number): void {
    this.t += ms
  }
}

export interface ApiResponse {
  status: number
  headers: Headers
  text: string
  /** Parsed JSON, or null when the body is not JSON. */
  body: Record<string, unknown> & { [k: string]: unknown }
}

export interface ApiInit {
  json?: unknown
  form?: Record<string, string>
  files?: { field: string; name: string; type: string; data: Buffer }[]
  headers?: Record<string, string>
  key?: string | null
  method?: string
}

export async function api(fake: FakeCometApi, path: string, init: ApiInit = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...init.headers }
  const key = init.key === undefined ? KEY : init.key
  if (key !== null) headers.Authorization = `Bearer ${key}`
  let body: string | FormData | undefined
  if (init.json !== undefined) {
    body = JSON.stringify(init.json)
    headers['Content-Type'] = 'application/json'
  } else if (init.form || init.files) {
    const fd = new FormData()
    for (const [k, v] of Object.entries(init.form ?? {})) fd.append(k, v)
    for (const f of init.files ?? []) fd.append(f.field, new Blob([new Uint8Array(f.data)], { type: f.type }), f.name)
    body = fd
  }
  const method = init.method ?? (body === undefined ? 'GET' : 'POST')
  const res = await fetch(fake.url + path, { method, headers, body, redirect: 'manual' })
  const text = await res.text()
  let parsed: unknown = null
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = null
  }
  return { status: res.status, headers: res.headers, text, body: parsed as ApiResponse['body'] }
}

/** `obj.a.b` for unknown JSON, for terse assertions. */
export function at(v: unknown, path: string): unknown {
  let cur: unknown = v
  for (const p of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined
  return cur
}

/** A real (grey) PNG of the given size. */
export function makePng(width: number, height: number): Buffer {
  return solidPng(width, height, [0x80, 0x80, 0x80])
}

export const pngFile = (w: number, h: number) => ({ field: 'input_reference', name: 'ref.png', type: 'image/png', data: makePng(w, h) })
