// Numbers, money, sizes and times as people read them, in the current language.
import type { Lang } from '../i18n'
import { formatMoney as formatMoneyIn } from '../shared'

export { currencyCode } from '../shared'

/** Money: estimates are shown with 2 decimals, or up to 3 below 10 cents so $0.032 is not $0.03. */
export function formatMoney(amount: number | null | undefined, lang: Lang, currency = 'USD'): string {
  return formatMoneyIn(amount, lang, currency)
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—'
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = bytes / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`
}

/** 75_000 → "1:15", 3_725_000 → "1:02:05". */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m)
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`
}

export function formatDateTime(ms: number | null | undefined, lang: Lang): string {
  if (!ms) return '—'
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms))
}

/** A time of day ("14:05"). */
export function formatTime(ms: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(ms)
}

export function formatDate(ms: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(ms))
}

/** "3 min ago" style, falling back to a date after a week. */
export function formatAgo(ms: number, now: number, lang: Lang): string {
  const diff = Math.round((ms - now) / 1000)
  const abs = Math.abs(diff)
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })
  if (abs < 45) return rtf.format(0, 'second')
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour')
  if (abs < 7 * 86400) return rtf.format(Math.round(diff / 86400), 'day')
  return formatDate(ms, lang)
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang).format(n)
}

/** The price label of a catalog model: "$0.08/s" or "$0.25/video"; null when unpriced. */
export function priceParts(pricing: { perSecond: number | null; perRequest: number | null; currency: string | null }): { amount: number; per: 'second' | 'video' } | null {
  if (pricing.perSecond !== null && pricing.perSecond !== undefined) return { amount: pricing.perSecond, per: 'second' }
  if (pricing.perRequest !== null && pricing.perRequest !== undefined) return { amount: pricing.perRequest, per: 'video' }
  return null
}

/** A pixel size, written one way everywhere: "1280×720" (from numbers or from an API's "1280x720"). */
export function formatSize(width: number | string | null | undefined, height?: number | null): string {
  if (typeof width === 'string') return width.replace(/^(\d+)\s*[x×*]\s*(\d+)$/i, '$1×$2')
  return `${width ?? '?'}×${height ?? '?'}`
}

/** The last path segment of a local path, for either separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts[parts.length - 1] || path
}

