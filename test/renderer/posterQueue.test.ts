import { describe, expect, it } from 'vitest'
import { PosterQueue } from '../../src/renderer/src/lib/posterQueue'

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void
  let reject!: (e: Error) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe('poster queue', () => {
  it('runs at most two at a time, in order', async () => {
    const started: string[] = []
    const pending = new Map<string, ReturnType<typeof deferred>>()
    const q = new PosterQueue((id) => {
      started.push(id)
      const d = deferred()
      pending.set(id, d)
      return d.promise
    }, 2)
    for (const id of ['a', 'b', 'c', 'd']) q.show(id)
    expect(started).toEqual(['a', 'b'])
    expect(q.active).toBe(2)
    pending.get('a')?.resolve()
    await tick()
    expect(started).toEqual(['a', 'b', 'c'])
  })

  it('never makes a poster for a card that left the screen before its turn', async () => {
    const started: string[] = []
    const pending: (() => void)[] = []
    const q = new PosterQueue((id) => {
      started.push(id)
      return new Promise<void>((r) => pending.push(r))
    }, 1)
    q.show('a')
    q.show('b')
    q.show('c')
    q.hide('b')
    pending[0]()
    await tick()
    expect(started).toEqual(['a', 'c'])
  })

  it('tries each item once, even after a failure or a second sighting', async () => {
    const started: string[] = []
    const q = new PosterQueue(async (id) => {
      started.push(id)
      throw new Error('decode failed')
    }, 2)
    q.show('a')
    await tick()
    q.hide('a')
    q.show('a')
    await tick()
    expect(started).toEqual(['a'])
    expect(q.hasTried('a')).toBe(true)
  })

  it('does not queue the same id twice while waiting', () => {
    const q = new PosterQueue(() => new Promise(() => undefined), 1)
    q.show('a')
    q.show('b')
    q.show('b')
    expect(q.queued).toEqual(['b'])
  })
})
