// Library search also finds a video by the name of the image it was made from, in new rows and in
// rows indexed before source names were searchable (a migration reindexes them).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixture, downloaded, type Fixture } from './helpers'

let f: Fixture
beforeEach(() => {
  f = fixture()
})
afterEach(() => f.cleanup())

function withImages(jobId: string, images: string[], prompt: string): void {
  const input = downloaded(f, jobId, { prompt })
  f.clock.t += 60_000
  f.lib.finalize({ ...input, spec: { ...input.spec, images } })
}

describe('search by source file name', () => {
  it('matches the base name of a source image, in parts and whole, and nothing else', () => {
    withImages('job-a', ['/Users/me/Pictures/beach_sunset-01.png'], 'Waves roll in')
    withImages('job-b', ['C:\\photos\\猫咪照片.jpg'], 'A cat naps')
    withImages('job-c', [], 'Nothing from an image')
    const ids = (search: string): string[] => f.lib.list({ search }).items.map((i) => i.jobId)
    expect(ids('beach_sunset-01.png')).toEqual(['job-a'])
    expect(ids('sunset')).toEqual(['job-a'])
    expect(ids('猫咪')).toEqual(['job-b'])
    expect(ids('photos')).toEqual([]) // the folder is not part of the name
    expect(ids('Pictures')).toEqual([])
  })

  it('reindexes rows written before source names were indexed', () => {
    withImages('job-old', ['/tmp/harbour-dawn.webp'], 'Boats at rest')
    // The row as the previous version wrote it: search text without the source name, schema version 2.
    f.db.prepare("UPDATE library_items SET search_text = 'boats at rest |'").run()
    f.db.pragma('user_version = 2')
    expect(f.lib.list({ search: 'harbour' }).total).toBe(0)
    f.reopen()
    expect(f.lib.list({ search: 'harbour' }).items.map((i) => i.jobId)).toEqual(['job-old'])
    expect(f.lib.list({ search: 'boats' }).total).toBe(1)
  })
})
