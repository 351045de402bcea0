// Notifications the main process keeps referenced (src/app/keptNotifications.ts): a dismissed toast
// stays clickable from the notification center, and the set stays bounded.
import { describe, expect, it } from 'vitest'
import { KeptNotifications } from '../../src/app/keptNotifications'

describe('kept notifications', () => {
  it('keeps one until it is clicked (a dismissed toast can still be clicked later)', () => {
    const kept = new KeptNotifications<string>(() => 0)
    kept.keep('done')
    expect(kept.has('done')).toBe(true)
    kept.drop('done')
    expect(kept.has('done')).toBe(false)
  })

  it('keeps only the newest ones, and none past their age', () => {
    let now = 0
    const kept = new KeptNotifications<number>(() => now, 3, 1000)
    for (let i = 1; i <= 5; i++) kept.keep(i)
    expect([1, 2, 3, 4, 5].filter((i) => kept.has(i))).toEqual([3, 4, 5])
    now = 900
    kept.keep(6)
    expect([3, 4, 5, 6].filter((i) => kept.has(i))).toEqual([4, 5, 6])
    now = 1500
    kept.keep(7)
    // 4 and 5 (shown at 0) are past their age now; 6 (shown at 900) is not.
    expect([4, 5, 6, 7].filter((i) => kept.has(i))).toEqual([6, 7])
    expect(kept.size).toBe(2)
  })
})
