// A finished video's poster is made once, when it lands in the library: ffprobe reads its size and
// length, ffmpeg grabs one frame as a small JPEG. A file ffmpeg cannot read leaves no poster and the
// job completed all the same; without the binaries the port says "unavailable" and nothing is tried.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { installedFfmpeg, unpackedPath } from '../../src/app/ffmpegBinaries'
import { ffmpegPosterFrames } from '../../src/core/library/posterFrames'
import { parseImageHeader } from '../../src/shared/imageHeader'
import { POSTER_MAX_BYTES } from '../../src/shared/posters'
import { createOne, FIXTURES, harness, type Harness, settle, sora, until } from './harness'

const SAMPLE = join(FIXTURES, 'videos/sample.mp4')
const bins = installedFfmpeg()

const isJpeg = (b: Buffer): boolean => b.length > 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff

describe('ffmpeg poster frames', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('finds the installed ffmpeg and ffprobe', () => {
    expect(bins.ffmpeg && existsSync(bins.ffmpeg)).toBeTruthy()
    expect(bins.ffprobe && existsSync(bins.ffprobe)).toBeTruthy()
  })

  it('reads the fixture’s size and length and grabs one JPEG frame from it', async () => {
    const r = await ffmpegPosterFrames(bins).grab(SAMPLE)
    if (r.kind !== 'made') throw new Error(`no poster: ${r.kind} ${r.detail}`)
    // test/fixtures/videos/README.md: 160x90, 2 s.
    expect({ width: r.frame.width, height: r.frame.height }).toEqual({ width: 160, height: 90 })
    expect(r.frame.durationS).toBeCloseTo(2, 1)
    expect(isJpeg(r.frame.jpeg)).toBe(true)
    expect(r.frame.jpeg.length).toBeLessThanOrEqual(POSTER_MAX_BYTES)
    expect(parseImageHeader(new Uint8Array(r.frame.jpeg))).toMatchObject({ type: 'jpeg', width: 160, height: 90 })
  })

  it('says "unreadable", without throwing, for random bytes named .mp4', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvs-poster-'))
    dirs.push(dir)
    const junk = join(dir, 'junk.mp4')
    writeFileSync(junk, randomBytes(64 * 1024))
    const r = await ffmpegPosterFrames(bins).grab(junk)
    expect(r.kind).toBe('unreadable')
  })

  it('says "unavailable" when the binaries are missing', async () => {
    expect((await ffmpegPosterFrames({ ffmpeg: null, ffprobe: null }).grab(SAMPLE)).kind).toBe('unavailable')
    const gone = join(tmpdir(), 'no-such-dir-cvs', 'ffmpeg')
    expect((await ffmpegPosterFrames({ ffmpeg: gone, ffprobe: gone }).grab(SAMPLE)).kind).toBe('unavailable')
  })

  it('points a path inside app.asar at app.asar.unpacked, and leaves other paths alone', () => {
    expect(unpackedPath('/opt/Comet/resources/app.asar/node_modules/@ffmpeg-installer/linux-x64/ffmpeg')).toBe(
      '/opt/Comet/resources/app.asar.unpacked/node_modules/@ffmpeg-installer/linux-x64/ffmpeg'
    )
    expect(unpackedPath('C:\\Comet\\resources\\app.asar\\node_modules\\@ffprobe-installer\\win32-x64\\ffprobe.exe')).toBe(
      'C:\\Comet\\resources\\app.asar.unpacked\\node_modules\\@ffprobe-installer\\win32-x64\\ffprobe.exe'
    )
    expect(unpackedPath('/opt/Comet/resources/app.asar.unpacked/x/ffmpeg')).toBe('/opt/Comet/resources/app.asar.unpacked/x/ffmpeg')
    expect(unpackedPath('/home/me/my.app.asarfiles/ffmpeg')).toBe('/home/me/my.app.asarfiles/ffmpeg')
  })
})

describe('posters made when a video lands', () => {
  let h: Harness | null = null
  afterEach(async () => {
    await h?.cleanup()
    h = null
  })

  it('writes a JPEG poster and records width, height and duration, without the renderer', async () => {
    h = await harness({}, { posterFrames: ffmpegPosterFrames(bins) })
    const changed: string[][] = []
    h.engine.on((e) => {
      if (e.type === 'library.changed') changed.push(e.itemIds)
    })
    h.engine.start()
    const id = await createOne(h.engine, sora('a lighthouse at dusk'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    const itemId = job.libraryItemId!
    const engine = h.engine
    await until(() => engine.library.get(itemId)?.poster != null)
    const item = engine.library.get(itemId)!
    expect(item.poster).toBe(`.posters/${itemId}.jpg`)
    expect({ width: item.width, height: item.height }).toEqual({ width: 160, height: 90 })
    expect(item.durationS).toBeCloseTo(2, 1)
    const jpeg = readFileSync(join(engine.library.root, item.poster!))
    expect(isJpeg(jpeg)).toBe(true)
    expect(parseImageHeader(new Uint8Array(jpeg))).toMatchObject({ type: 'jpeg', width: 160, height: 90 })
    // The renderer hears of it: a library change for the item after the one that landed it.
    expect(changed.filter((ids) => ids.includes(itemId)).length).toBeGreaterThanOrEqual(2)
    // The sidecar keeps it too, so a rescan brings the poster back.
    const sidecar = JSON.parse(readFileSync(join(engine.library.root, item.fileName.replace(/\.\w+$/, '.json')), 'utf8'))
    expect(sidecar.poster).toBe(item.poster)
  })

  it('leaves no poster, and the job completed, when the video is not one ffmpeg can read', async () => {
    // The fake serves generated bytes (an MP4 ftyp header and a patterned mdat): no frames in it.
    h = await harness({ videoBytes: { '*': 256 * 1024 } }, { posterFrames: ffmpegPosterFrames(bins) })
    h.engine.start()
    const id = await createOne(h.engine, sora('no frames here'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    const logs = h.logs
    await until(() => logs.some((l) => l.includes('poster') && l.includes(job.libraryItemId!)))
    const item = h.engine.library.get(job.libraryItemId!)!
    expect(item.poster).toBeNull()
    expect(existsSync(join(h.engine.library.root, '.posters', `${item.id}.jpg`))).toBe(false)
    expect(h.engine.getJob(id)?.state).toBe('completed')
  })

  it('makes no poster and tries nothing when ffmpeg is unavailable', async () => {
    h = await harness({}, { posterFrames: ffmpegPosterFrames({ ffmpeg: null, ffprobe: null }) })
    h.engine.start()
    const id = await createOne(h.engine, sora('renderer makes this one'))
    const [job] = await settle(h.engine, [id])
    expect(job.state).toBe('completed')
    const logs = h.logs
    await until(() => logs.some((l) => l.includes('poster') && l.includes('unavailable')))
    expect(h.engine.library.get(job.libraryItemId!)?.poster).toBeNull()
  })
})
