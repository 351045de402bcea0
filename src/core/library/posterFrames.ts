// The port that makes a finished video's poster in plain Node: ffprobe reads the video's size and
// length, ffmpeg grabs one frame (0.5 s in, or the middle of a shorter clip) scaled to at most
// 480 px wide as a JPEG under 200 KB. Binaries run with execFile (never a shell) under a timeout.
// Nothing here throws: a file ffmpeg cannot read is "unreadable", missing binaries "unavailable".
import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { POSTER_MAX_BYTES, posterSize, posterTime } from '../../shared/posters'

export interface VideoProbe {
  width: number
  height: number
  /** Seconds, when the container says. */
  durationS: number | null
}

export interface PosterFrame extends VideoProbe {
  /** The poster, a JPEG of at most POSTER_MAX_BYTES. */
  jpeg: Buffer
}

export type PosterGrab =
  | { kind: 'made'; frame: PosterFrame }
  /** No ffmpeg/ffprobe here (a packaged app without them, another platform): the renderer makes posters. */
  | { kind: 'unavailable'; detail: string }
  /** ffmpeg could not read this file (or took too long): no poster, nothing else changes. */
  | { kind: 'unreadable'; detail: string }

export interface PosterFrames {
  grab(videoPath: string, signal?: AbortSignal): Promise<PosterGrab>
}

export interface FfmpegBinaries {
  ffmpeg: string | null
  ffprobe: string | null
}

export interface FfmpegPosterOptions {
  /** Per ffprobe/ffmpeg run. Default 20 s. */
  timeoutMs?: number
}

/** mjpeg `-q:v` steps, best first, until the poster fits the byte budget. */
const QUALITIES = [3, 6, 10, 16, 24, 31]
const MAX_OUTPUT = 8 * 1024 * 1024

class RunError extends Error {
  constructor(
    message: string,
    readonly missing: boolean
  ) {
    super(message)
  }
}

/**
 * The video is read as a plain local file: a "video" that is really a playlist or a concat list
 * cannot make ffmpeg open other files or URLs, and its container is chosen by content, not trusted.
 */
const LOCAL_ONLY = ['-protocol_whitelist', 'file,pipe']

function run(bin: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { encoding: 'buffer', timeout: timeoutMs, maxBuffer: MAX_OUTPUT, windowsHide: true, signal }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout)
      const code = (err as NodeJS.ErrnoException).code
      const missing = code === 'ENOENT' || code === 'EACCES'
      const said = stderr.toString('utf8').trim().split('\n').pop() ?? ''
      const why = (err as { killed?: boolean }).killed ? `timed out after ${timeoutMs} ms` : said || err.message
      reject(new RunError(why.slice(0, 300), missing))
    })
  })
}

function executable(p: string | null): p is string {
  if (!p) return false
  try {
    accessSync(p, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function parseProbe(out: Buffer): VideoProbe | null {
  let json: { streams?: { width?: unknown; height?: unknown }[]; format?: { duration?: unknown } }
  try {
    json = JSON.parse(out.toString('utf8'))
  } catch {
    return null
  }
  const s = json.streams?.[0]
  const width = Number(s?.width)
  const height = Number(s?.height)
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return null
  const d = Number(json.format?.duration)
  return { width, height, durationS: Number.isFinite(d) && d > 0 ? d : null }
}

const isJpeg = (b: Buffer): boolean => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff

/** Posters from ffmpeg/ffprobe at these paths (null or not executable: "unavailable"). */
export function ffmpegPosterFrames(bins: FfmpegBinaries, o: FfmpegPosterOptions = {}): PosterFrames {
  const timeoutMs = o.timeoutMs ?? 20_000
  return {
    async grab(videoPath, signal) {
      if (!executable(bins.ffprobe) || !executable(bins.ffmpeg)) {
        return { kind: 'unavailable', detail: `ffmpeg ${bins.ffmpeg ?? 'not installed'}, ffprobe ${bins.ffprobe ?? 'not installed'}` }
      }
      const ffmpeg = bins.ffmpeg
      try {
        const probeOut = await run(
          bins.ffprobe,
          ['-v', 'error', ...LOCAL_ONLY, '-select_streams', 'v:0', '-show_entries', 'stream=width,height:format=duration', '-of', 'json', '-i', videoPath],
          timeoutMs,
          signal
        )
        const probe = parseProbe(probeOut)
        if (!probe) return { kind: 'unreadable', detail: 'ffprobe found no video stream' }
        const { width, height } = posterSize(probe.width, probe.height)
        const at = posterTime(probe.durationS ?? 0).toFixed(3)
        for (const q of QUALITIES) {
          // -ss before -i seeks fast; the frame goes to stdout as one JPEG.
          const jpeg = await run(
            ffmpeg,
            ['-v', 'error', '-nostdin', ...LOCAL_ONLY, '-ss', at, '-i', videoPath, '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-q:v', String(q), '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1'],
            timeoutMs,
            signal
          )
          if (!isJpeg(jpeg)) return { kind: 'unreadable', detail: 'ffmpeg gave no frame' }
          if (jpeg.length <= POSTER_MAX_BYTES) return { kind: 'made', frame: { ...probe, jpeg } }
        }
        return { kind: 'unreadable', detail: `no frame under ${POSTER_MAX_BYTES} bytes` }
      } catch (err) {
        if (err instanceof RunError && err.missing) return { kind: 'unavailable', detail: err.message }
        return { kind: 'unreadable', detail: err instanceof Error ? err.message : String(err) }
      }
    }
  }
}
