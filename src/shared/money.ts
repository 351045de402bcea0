// Money as people read it, one rule for the engine's English and the interface's languages: always
// with its currency, in the locale's format; 2 decimals, or up to 3 below 10 cents ($0.032, not $0.03).

/** Message parameters that are amounts of money (formatted with `currency` when a message has one). */
export const MONEY_PARAMS: ReadonlySet<string> = new Set(['estimate', 'total', 'cap', 'amount', 'spent', 'cost'])

export function formatMoney(amount: number | null | undefined, locale: string, currency = 'USD'): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—'
  const abs = Math.abs(amount)
  const digits = abs > 0 && abs < 0.1 ? 3 : 2
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: digits }).format(amount)
  } catch {
    return `${amount.toFixed(digits)} ${currency}`
  }
}

/** ISO currency code from the catalog's currency text ("USD", "USD / M Tokens"), defaulting to USD. */
export function currencyCode(text: string | null | undefined): string {
  const m = /^[A-Z]{3}/.exec(text ?? '')
  return m ? m[0] : 'USD'
}

/** A message's parameters with its amounts written as money in `locale` (when the message names its currency). */
export function moneyParams<P extends Record<string, string | number>>(params: P, locale: string): P {
  const currency = params.currency
  if (typeof currency !== 'string') return params
  const out: Record<string, string | number> = { ...params }
  for (const [name, value] of Object.entries(params)) if (MONEY_PARAMS.has(name) && typeof value === 'number') out[name] = formatMoney(value, locale, currency)
  return out as P
}
