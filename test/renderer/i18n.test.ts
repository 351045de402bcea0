import { describe, expect, it } from 'vitest'
import { en } from '../../src/renderer/src/i18n/en'
import { fieldErrorText, interpolate, rejectedText, resolveLanguage, translate } from '../../src/renderer/src/i18n'
import { zhCN } from '../../src/renderer/src/i18n/zh-CN'
import { validateSpec } from '../../src/shared/validation'
import { rulesForModel } from '../../src/shared/modelRules'

describe('language choice', () => {
  it('follows the system unless the setting names a language', () => {
    expect(resolveLanguage('system', 'zh-CN')).toBe('zh-CN')
    expect(resolveLanguage('system', 'zh-Hans-CN')).toBe('zh-CN')
    expect(resolveLanguage('system', 'zh_TW')).toBe('zh-CN')
    expect(resolveLanguage('system', 'en-GB')).toBe('en')
    expect(resolveLanguage('system', 'de')).toBe('en')
    expect(resolveLanguage('en', 'zh-CN')).toBe('en')
    expect(resolveLanguage('zh-CN', 'en-US')).toBe('zh-CN')
    expect(resolveLanguage(undefined, undefined)).toBe('en')
  })
})

describe('dictionaries', () => {
  it('简体中文 has every English key, none empty', () => {
    for (const key of Object.keys(en)) {
      expect(zhCN[key], key).toBeTruthy()
    }
  })

  it('Chinese uses only placeholders the English text is given (plural counts may be dropped)', () => {
    const names = (s: string): Set<string> => new Set([...s.matchAll(/\{(\w+)[}:]/g)].map((m) => m[1]))
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const enNames = names(en[key])
      for (const n of names(zhCN[key])) expect(enNames.has(n), `${key}: {${n}}`).toBe(true)
    }
  })
})

describe('interpolation', () => {
  it('fills values and picks plural branches', () => {
    expect(interpolate('Create {count:1 job|# jobs}', { count: 1 })).toBe('Create 1 job')
    expect(interpolate('Create {count:1 job|# jobs}', { count: 12 })).toBe('Create 12 jobs')
    expect(interpolate('{count:1 video|{n} videos}', { count: 1200, n: '1,200' })).toBe('1,200 videos')
    expect(interpolate('Hello {name}', {})).toBe('Hello {name}')
    expect(translate('en', 'batch.confirmTitle', { count: 12, amount: '$3.84' })).toBe('Create 12 jobs, about $3.84?')
  })
})

describe('field errors', () => {
  const rules = rulesForModel('kling-v3', 'kling')
  const [tooLong] = validateSpec({ model: 'kling-v3', prompt: 'x'.repeat(600) }, rules, [])

  it('English shows the engine message as is', () => {
    expect(fieldErrorText('en', tooLong)).toBe(tooLong.message)
  })

  it('Chinese translates the code with its params', () => {
    expect(fieldErrorText('zh-CN', tooLong)).toBe('提示词共 600 个字符，此模型最多接受 500 个。')
  })

  it('an unknown code falls back to the English message', () => {
    expect(fieldErrorText('zh-CN', { field: 'x', code: 'brand.newCode', message: 'Something new.' })).toBe('Something new.')
  })

  it('`*.unsupported` uses the generic translation with the field name', () => {
    const [e] = validateSpec({ model: 'sora-2', prompt: 'a', seed: 3 }, rulesForModel('sora-2', 'openai-videos'), [])
    expect(e.code).toBe('seed.unsupported')
    expect(fieldErrorText('zh-CN', e)).toContain('随机种子')
  })

  it('rejected files translate by code, else keep the reason', () => {
    expect(rejectedText('zh-CN', { path: '/a.txt', name: 'a.txt', code: 'notImage', reason: 'Not an image.' })).toBe(zhCN['rejected.notImage'])
    expect(rejectedText('zh-CN', { path: '/a', name: 'a', code: 'weird', reason: 'Odd.' })).toBe('Odd.')
    expect(rejectedText('en', { path: '/a.txt', name: 'a.txt', code: 'notImage', reason: 'Not an image.' })).toBe('Not an image.')
  })
})
