// Every user-visible string goes through t(). English is the source dictionary; 简体中文 must
// have every key (the type says so). Field errors are translated by their code with their params
// and fall back to the engine's English sentence.
import { create } from 'zustand'
import { fill, moneyParams, type FieldError, type LanguageSetting, type RejectedFile } from '../shared'
import { en, type MessageKey } from './en'
import { zhCN } from './zh-CN'

export type Lang = 'en' | 'zh-CN'
export type { MessageKey }
export type Params = Record<string, string | number>

const DICTS: Record<Lang, Record<string, string>> = { en, 'zh-CN': zhCN }

/** The language to show: the setting when it names one, else the system's (Chinese variants → 简体中文). */
export function resolveLanguage(setting: LanguageSetting | null | undefined, systemLocale: string | null | undefined): Lang {
  if (setting === 'en' || setting === 'zh-CN') return setting
  const loc = (systemLocale ?? '').toLowerCase()
  return loc === 'zh' || loc.startsWith('zh-') || loc.startsWith('zh_') ? 'zh-CN' : 'en'
}

/**
 * Fills `{name}` placeholders; `{count:one job|# jobs}` picks a branch by count (`#` is the count).
 * A placeholder without a value stays visible so a missing param is noticed, not hidden.
 */
export function interpolate(text: string, params?: Params): string {
  if (!params) return text
  const plural = text.replace(/\{(\w+):((?:[^{}|]|\{\w+\})*)\|((?:[^{}|]|\{\w+\})*)\}/g, (whole, name: string, one: string, other: string) => {
    const value = params[name]
    if (value === undefined) return whole
    return (Number(value) === 1 ? one : other).replace(/#/g, String(value))
  })
  return plural.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : String(value)
  })
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text = DICTS[lang][key] ?? en[key] ?? key
  return interpolate(text, params)
}

/** True when the dictionary of `lang` (or English) has this key. */
export function hasKey(lang: Lang, key: string): key is MessageKey {
  return key in DICTS[lang] || key in en
}

/**
 * A FieldError in the user's language. The engine's English message is already the best English
 * (it names files and values), so English shows it as is; other languages translate the code.
 */
export function fieldErrorText(lang: Lang, error: FieldError): string {
  if (lang === 'en') return readableSizes(error.message)
  const params: Params = { ...(error.params ?? {}), field: fieldLabelText(lang, error.field) }
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && k !== 'file') params[k] = readableSizes(v)
  if (error.allowed && params.allowed === undefined) params.allowed = error.allowed.join(', ')
  const key = `fieldError.${error.code}`
  if (key in DICTS[lang]) return interpolate(DICTS[lang][key], params)
  const generic = `fieldError.${error.code.split('.').pop() ?? ''}`
  if (error.code.endsWith('.unsupported') && generic in DICTS[lang]) return interpolate(DICTS[lang][generic], params)
  return error.message
}

/**
 * A sentence from the engine (a code of shared/messages.ts with its params, or a FieldError code)
 * in the user's language. English shows the engine's own text.
 */
export function engineText(lang: Lang, text: string, code?: string | null, params?: Params | null): string {
  if (lang === 'en' || !code) return text
  const dict = DICTS[lang]
  const key = `msg.${code}`
  if (key in dict) {
    const p: Params = moneyParams({ ...(params ?? {}) }, lang)
    if (typeof p.actionCode === 'string' && `msg.action.${p.actionCode}` in dict) p.action = dict[`msg.action.${p.actionCode}`]
    if (typeof p.whyCode === 'string' && `msg.create.why.${p.whyCode}` in dict) p.why = dict[`msg.create.why.${p.whyCode}`]
    return fill(dict[key], p)
  }
  if (`fieldError.${code}` in dict) return fieldErrorText(lang, { field: typeof params?.field === 'string' ? params.field : '', code, message: text, params: params ?? undefined })
  return text
}

/**
 * The engine writes pixel sizes as the API does ("40x30"); the interface writes them one way,
 * "40×30". Quoted parts ("photo-40x30.png") are file names and stay as they are.
 */
export function readableSizes(text: string): string {
  return text
    .split(/("[^"]*")/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\b(\d+)x(\d+)\b/g, '$1×$2')))
    .join('')
}

function fieldLabelText(lang: Lang, field: string): string {
  const base = field.replace(/\[\d+\]$/, '')
  const key = `field.${base}`
  return key in DICTS[lang] ? DICTS[lang][key] : field
}

/** Why a dropped file was not used, in the user's language (falls back to main's reason). */
export function rejectedText(lang: Lang, file: RejectedFile): string {
  const key = `rejected.${file.code}`
  if (lang !== 'en' && key in DICTS[lang]) return DICTS[lang][key]
  return file.reason
}

interface LangState {
  lang: Lang
  setLang(lang: Lang): void
}

export const useLang = create<LangState>((set) => ({
  lang: 'en',
  setLang(lang) {
    set({ lang })
    if (typeof document !== 'undefined') document.documentElement.lang = lang
  }
}))

export type TFunction = (key: MessageKey, params?: Params) => string

/** Outside React (toasts from store code): the current language at call time. */
export function t(key: MessageKey, params?: Params): string {
  return translate(useLang.getState().lang, key, params)
}

const cache = new Map<Lang, TFunction>()

export function tFor(lang: Lang): TFunction {
  let fn = cache.get(lang)
  if (!fn) {
    fn = (key, params) => translate(lang, key, params)
    cache.set(lang, fn)
  }
  return fn
}

/** In components: re-renders when the language changes. */
export function useT(): TFunction {
  return tFor(useLang((s) => s.lang))
}
