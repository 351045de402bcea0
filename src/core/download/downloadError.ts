// The one error the downloader throws. Messages name the host at most: never a query string
// (signed tokens) and never a header.
import type { Message } from '../../shared/messages'

export type DownloadErrorKind =
  | 'expired' // 403/404/410: the signed link ran out; poll again for a fresh one
  | 'not_video' // the body is a web page, JSON, text…
  | 'too_large' // bigger than maxBytes
  | 'http' // any other HTTP answer we cannot use
  | 'network' // reset, refused, cut short: resume later
  | 'timeout' // no connection or no bytes for too long
  | 'disk' // ENOSPC, EROFS, EACCES, EDQUOT… while writing
  | 'canceled'
  | 'verify' // the file on disk is not what the server announced
  | 'refused' // a link downloads never follow: not http(s), a metadata or forbidden address, too many redirects

export class DownloadError extends Error {
  readonly status?: number
  /** errno code (ENOSPC, ECONNRESET…) when there was one. */
  readonly code?: string
  /** The sentence with its code, where there is one for translation (a proxy's failure). */
  readonly sentence?: Message

  constructor(
    message: string,
    readonly kind: DownloadErrorKind,
    readonly retryable: boolean,
    extra: { status?: number; code?: string; sentence?: Message } = {}
  ) {
    super(message)
    this.name = 'DownloadError'
    if (extra.status !== undefined) this.status = extra.status
    if (extra.code !== undefined) this.code = extra.code
    if (extra.sentence !== undefined) this.sentence = extra.sentence
  }
}

const DISK_MESSAGES: Record<string, string> = {
  ENOSPC: 'The disk is full: free some space; the download continues from where it stopped.',
  EDQUOT: 'Your disk quota is used up: free some space; the download continues from where it stopped.',
  EROFS: 'The library folder is on a read-only disk: choose another library folder in Settings.',
  EACCES: 'Comet Video Studio may not write to the library folder: check its permissions or choose another folder.',
  EPERM: 'Comet Video Studio may not write to the library folder: check its permissions or choose another folder.',
  EMFILE: 'Too many files are open right now; the download will try again shortly.',
  ENFILE: 'Too many files are open right now; the download will try again shortly.'
}

export function diskError(err: NodeJS.ErrnoException): DownloadError {
  const code = err.code ?? 'EIO'
  const message = DISK_MESSAGES[code] ?? `Writing the video to disk failed (${code}); the download will try again from where it stopped.`
  return new DownloadError(message, 'disk', true, { code })
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ECONNRESET: 'closed the connection',
  ENOTFOUND: 'could not be found (DNS)',
  EAI_AGAIN: 'could not be looked up (DNS)',
  EPIPE: 'closed the connection',
  ETIMEDOUT: 'did not answer in time',
  EHOSTUNREACH: 'cannot be reached',
  ENETUNREACH: 'cannot be reached (no network)',
  ECONNABORTED: 'closed the connection'
}

export function networkError(err: NodeJS.ErrnoException, host: string): DownloadError {
  const code = err.code ?? 'ECONNRESET'
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new DownloadError(
      `The secure connection to ${host} could not be verified (${code}); a proxy or security software may be intercepting HTTPS.`,
      'network',
      false,
      { code }
    )
  }
  const what = NETWORK_WORDS[code] ?? `failed (${code})`
  return new DownloadError(
    `The connection to ${host} ${what} during the download; it continues from where it stopped.`,
    'network',
    true,
    { code }
  )
}

export const DISK_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EMFILE', 'ENFILE', 'EISDIR', 'ENOTDIR', 'EFBIG'])
