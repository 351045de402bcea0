// The job lifecycle's vocabulary: every state name and every named set of states, spelled once.
// The transitions between them are decided in src/core/jobs/lifecycle.ts; everything else (engine,
// CLI, app services, IPC schemas, renderer) asks these sets instead of listing states again.

export const JOB_STATES = [
  'held', // persisted but waiting for the person to confirm spending above the daily cap
  'queued', // waiting its turn to be sent
  'submitting', // a create may be in flight: its outcome is unknown until the answer is recorded
  'submitted', // the provider accepted the task; it has not reported progress yet
  'running', // the provider reports the task in progress
  'downloading', // the provider finished the video; we are fetching it
  'download_failed', // the provider made (and billed) the video, but it could not be fetched yet: retry the download
  'completed', // the video is in the library
  'failed', // it cannot succeed as it is (the provider failed it, or it was never accepted)
  'canceled', // the person stopped it
  'needs_decision', // the create's outcome is unknown and cannot be looked up: the person decides
  'lost_contact' // the provider has long said it does not know the task (or it ran past the age limit): it may still be made
] as const

export type JobState = (typeof JOB_STATES)[number]

export type StateSet = readonly JobState[]

const set = (...states: JobState[]): StateSet => Object.freeze(states)

/** The engine is working on these now (sending, watching or fetching). */
export const ACTIVE_STATES = set('queued', 'submitting', 'submitted', 'running', 'downloading')
/** Nothing more will ever happen to these by themselves or by the engine. */
export const TERMINAL_STATES = set('completed', 'failed', 'canceled')
/** Nothing happens to these until the person acts. */
export const WAITING_FOR_PERSON_STATES = set('held', 'needs_decision', 'download_failed', 'lost_contact')
/** The engine will do nothing more with these unless the person acts: ended, or waiting for them. */
export const SETTLED_STATES = set(...TERMINAL_STATES, ...WAITING_FOR_PERSON_STATES)
/** A remote task exists and is being made: the poller watches these. */
export const POLLED_STATES = set('submitted', 'running')
/** Shown as "being made" with generation progress (a create in flight counts). */
export const GENERATING_STATES = set('submitting', 'submitted', 'running')
/** The create may have reached the provider, so the provider may bill it even if we stop now. */
export const MAY_BE_BILLED_STATES = set('submitting', 'submitted', 'running', 'downloading', 'download_failed', 'needs_decision', 'lost_contact')
/** The provider accepted the task (a remote id came back), or it finished. */
export const ACCEPTED_STATES = set('submitted', 'running', 'downloading', 'download_failed', 'lost_contact', 'completed')
/** The provider made the video and it is not in the library yet: its partial download is kept. */
export const MADE_NOT_STORED_STATES = set('downloading', 'download_failed')
/** Ended by itself, well or badly: the person hears of it (a notification, the spend view refreshed). */
export const OUTCOME_STATES = set('completed', 'failed', 'download_failed', 'lost_contact')
/** The create's outcome is unknown: CometAPI may or may not bill it (the person decides). */
export const BILLING_UNKNOWN_STATES = set('needs_decision')
/** Waiting to be sent or being sent: their cost is not in the spend ledger yet. */
export const SENDING_STATES = set('queued', 'submitting')
/** The person may stop these. */
export const CANCELABLE_STATES = set('held', ...ACTIVE_STATES, 'download_failed', 'needs_decision', 'lost_contact')
/** "Retry" makes a new (paid) job with the same settings from these: the provider failed it, it was never sent, or the person chose to. */
export const RETRYABLE_STATES = set('failed', 'canceled', 'needs_decision')
/** Not ended: still to be sent, checked or downloaded with the key it was created with. */
export const NEEDS_ITS_KEY_STATES = set(...ACTIVE_STATES, ...WAITING_FOR_PERSON_STATES)
/** May be removed from the queue (a running job must be canceled first). */
export const REMOVABLE_STATES = set(...TERMINAL_STATES, 'held')

export function isIn(states: StateSet, state: JobState): boolean {
  return states.includes(state)
}

export function isJobState(value: unknown): value is JobState {
  return typeof value === 'string' && (JOB_STATES as readonly string[]).includes(value)
}
