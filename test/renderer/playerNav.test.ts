// Next/previous video in the player: PageDown/PageUp and Shift+N/Shift+P, free of the other player keys.
import { describe, expect, it } from 'vitest'
import { commandFor } from '../../src/renderer/src/features/player/playerKeys'

describe('player next/previous keys', () => {
  it('maps PageDown, Shift+N to next and PageUp, Shift+P to previous; plain n and p do nothing', () => {
    expect(commandFor('PageDown', 0, null)).toEqual({ type: 'step', by: 1 })
    expect(commandFor('N', 0, null)).toEqual({ type: 'step', by: 1 })
    expect(commandFor('PageUp', 0, null)).toEqual({ type: 'step', by: -1 })
    expect(commandFor('P', 0, null)).toEqual({ type: 'step', by: -1 })
    expect(commandFor('n', 0, null)).toBeNull()
    expect(commandFor('p', 0, null)).toBeNull()
  })
})
