import { describe, expect, it } from 'vitest'
import { engineText } from '../../src/renderer/src/i18n'
import { formatMoney } from '../../src/renderer/src/lib/format'
import { english } from '../../src/shared/messages'

describe('money in messages: always with its currency, in the locale’s format', () => {
  const params = { count: 3, estimate: 0.96, total: 7.58, cap: 5, currency: 'USD' }

  it('the engine’s English and the Chinese translation both write the amounts as money, from the same numbers', () => {
    const en = english('held.overCap', params)
    expect(en).toBe('Held: these 3 jobs (about $0.96) would take today’s spend to $7.58, above your daily cap of $5.00. Confirm to send them.')
    const zh = engineText('zh-CN', en, 'held.overCap', params)
    expect(zh).toBe(`已暂缓：这 3 个任务（约 ${formatMoney(0.96, 'zh-CN')}）会让今天的花费达到 ${formatMoney(7.58, 'zh-CN')}，超过你的每日上限 ${formatMoney(5, 'zh-CN')}。确认后才会发送。`)
    expect(zh).not.toMatch(/（约 0\.96）/)
  })

  it('one job is "this job", not "this batch"', () => {
    expect(english('held.overCapOne', { ...params, count: 1 })).toMatch(/^Held: this job \(about \$0\.96\)/)
    expect(engineText('zh-CN', '', 'held.overCapOne', { ...params, count: 1 })).toMatch(/^已暂缓：这个任务/)
  })

  it('small amounts keep their third decimal, other currencies their own sign', () => {
    expect(formatMoney(0.032, 'en')).toBe('$0.032')
    expect(english('held.priceUnknown', { count: 2, cap: 12, currency: 'EUR' })).toMatch(/daily cap of €12\.00/)
  })
})
