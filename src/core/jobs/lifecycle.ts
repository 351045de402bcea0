// The one table that decides every job transition: which event moves a job from which states to
// which. The hub (jobHub.ts) checks every write against it; nothing else changes a job's state.
// State names and named sets live in src/shared/jobStates.ts so the renderer and CLI share them.
//
// The money rules are in the table itself:
// - a sent task leaves POLLED_STATES only by a terminal provider answer (poll.succeeded /
//   poll.failed), the person (cancel), or — after a long, bounded silence — `lost_contact`,
//   which waits for the person (check again, or dismiss); never `failed`;
// - a create whose outcome is unknown goes to `needs_decision` (submit.unknown), never back to
//   `queued` — only a definite "never arrived" (submit.notSent, lookup.notFound) re-queues it;
// - a made video leaves `downloading` only for `completed`, `download_failed` (which leads back
//   to `downloading` on Retry download) or `canceled`: it is fetched, never made again.
import {
  CANCELABLE_STATES, type JobState, POLLED_STATES, type StateSet
} from '../../shared/jobStates'

export interface Transition {
  /** States the job must be in for the event to apply. Empty: the event creates the job. */
  from: StateSet
  /** The state it moves to; null keeps the state (bookkeeping, notes, progress). */
  to: JobState | null
}

const t = (from: StateSet, to: JobState | null): Transition => ({ from, to })

export const TRANSITIONS = {
  // Created by the engine (all-or-nothing, before any network call).
  'create.queue': t([], 'queued'),
  'create.hold': t([], 'held'),

  // The person.
  'hold.confirm': t(['held'], 'queued'),
  cancel: t(CANCELABLE_STATES, 'canceled'),
  'decide.resubmit': t(['needs_decision'], 'queued'),
  'decide.dismiss': t(['needs_decision'], 'canceled'),
  'retry.replace': t(['needs_decision'], 'canceled'),

  // The submitter.
  'submit.invalid': t(['queued'], 'failed'), // its images cannot be read or no longer fit: nothing was sent
  'submit.claim': t(['queued'], 'submitting'), // from here until the answer is recorded the outcome is unknown
  'submit.note': t(['submitting'], null),
  'submit.notSent': t(['submitting'], 'queued'), // surely never reached the provider: send again later
  'submit.refused': t(['submitting'], 'failed'), // the provider or CometAPI said no: nothing was created
  'submit.accepted': t(['submitting'], 'submitted'),
  'submit.acceptedRunning': t(['submitting'], 'running'),
  'submit.acceptedAfterCancel': t(['canceled'], null), // keep the remote id so the person can find what was billed
  'submit.unknown': t(['submitting'], 'needs_decision'),
  'lookup.notFound': t(['submitting'], 'queued'), // the provider said it never received it

  // The poller.
  'poll.waiting': t(POLLED_STATES, null),
  'poll.running': t(POLLED_STATES, 'running'),
  'poll.succeeded': t(POLLED_STATES, 'downloading'),
  'poll.failed': t(POLLED_STATES, 'failed'), // the provider says it failed (or expired): a terminal answer
  'poll.lost': t(POLLED_STATES, 'lost_contact'), // "no such task" for a long, bounded stretch (poller.ts)
  'poll.gaveUp': t(POLLED_STATES, 'lost_contact'), // past the maximum age: stop asking, the person decides
  'contact.check': t(['lost_contact'], 'submitted'), // the person asks to look for it again
  'contact.dismiss': t(['lost_contact'], 'canceled'),

  // Downloads.
  'download.progress': t(['downloading'], null),
  'download.done': t(['downloading'], 'completed'),
  'download.failed': t(['downloading'], 'download_failed'), // made and billed: wait for Retry download
  'download.retry': t(['download_failed'], 'downloading')
} as const satisfies Record<string, Transition>

export type JobEvent = keyof typeof TRANSITIONS

/** Whether `event` may apply to a job in `state`. */
export function allows(event: JobEvent, state: JobState): boolean {
  return (TRANSITIONS[event].from as readonly JobState[]).includes(state)
}

/** Where `event` takes a job in `state` (null: the event does not apply). */
export function nextState(event: JobEvent, state: JobState): JobState | null {
  if (!allows(event, state)) return null
  return TRANSITIONS[event].to ?? state
}
