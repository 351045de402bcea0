// What the app says about its own updates (src/app/updates.ts decides; the renderer shows it).

/**
 * - `idle`: nothing asked yet this session.
 * - `checking`: asking the update feed.
 * - `downloading`: a newer version was found and is being downloaded in the background.
 * - `ready`: downloaded; a restart installs it.
 * - `upToDate`: the feed has nothing newer.
 * - `failed`: the last check, download or install failed (`failure` says why).
 * - `unsupported`: this run cannot update itself (development, an unpacked folder, no updater).
 */
export type UpdatePhase = 'idle' | 'checking' | 'downloading' | 'ready' | 'upToDate' | 'failed' | 'unsupported'

export interface UpdateProgress {
  /** 0–100. */
  percent: number
  transferred: number
  total: number
  bytesPerSecond: number
}

export interface UpdateFailure {
  /** What was being done. */
  stage: 'check' | 'download' | 'install'
  /** English; the renderer says it by `code` and `params` (codes `update.*` of messages.ts). */
  message: string
  code: string
  params: Record<string, string | number>
}

export interface UpdateState {
  phase: UpdatePhase
  /** The version running now. */
  currentVersion: string
  /** The newer version found (downloading or ready), else null. */
  version: string | null
  progress: UpdateProgress | null
  failure: UpdateFailure | null
  /** When the feed last answered (epoch ms), null when it never did this session. */
  checkedAt: number | null
  /**
   * Whether the small notice on every screen shows this state: a download ready, the first failed
   * automatic check of the session, or what an on-demand check found. False once dismissed.
   */
  notice: boolean
  /** The person asked to restart once the video downloads being written have finished. */
  restartWhenIdle: boolean
  /** Video downloads being written now (a restart would interrupt them; they resume afterwards). */
  downloadsWriting: number
}

/**
 * How a restart treats video downloads being written:
 * - `ask`: only when none is being written (else the reply says how many, to ask the person);
 * - `now`: the person agreed to interrupt them (they resume after the update);
 * - `whenDownloadsFinish`: restart as soon as none is being written;
 * - `cancel`: forget a `whenDownloadsFinish` request.
 */
export type RestartMode = 'ask' | 'now' | 'whenDownloadsFinish' | 'cancel'

export interface RestartReply {
  /** The app is quitting to install the update. */
  restarting: boolean
  /** Waiting for the downloads being written to finish (`whenDownloadsFinish`). */
  waiting: boolean
  downloadsWriting: number
}
