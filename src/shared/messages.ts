// Sentences the engine says to people, each with a stable code and parameters, so the renderer
// can say them in the person's language. The English text here is what the CLI prints and what
// every log and stored job carries; the renderer's dictionaries translate by code.
//
// Template syntax: `{name}` is a parameter; `{?name …}` keeps the text inside only when `name` is
// set and not empty (e.g. a quoted server message that may be missing).
import { moneyParams } from './money'

export const MESSAGES = {
  // What the engine was doing when a request failed (the {action} of api.* messages).
  'action.create': 'creating the video',
  'action.poll': 'checking the video',
  'action.lookup': 'looking the job up',
  'action.catalog': 'loading the model list',
  'action.keyCheck': 'checking the key',
  'action.other': 'talking to CometAPI',

  // CometAPI answers and connection problems
  'api.noKey': 'No CometAPI key is set. Add it in Settings, with `comet-video key set` (reads it from standard input), or in COMETAPI_KEY; keys are made at https://www.cometapi.com/console/token.',
  'api.redirect': 'The server at {baseUrl} redirected {path} to {location} instead of answering. Check the base URL in Settings (it should be https://api.cometapi.com).',
  'api.html': 'The server at {baseUrl} answered {path} with a web page, not the API. Check the base URL in Settings (it should be https://api.cometapi.com).',
  'api.gatewayPage': 'CometAPI’s gateway answered with an error page ({status}) while {action}.{?requestId (request id: {requestId})}',
  'api.modelUnavailable': 'The model {model} is not available on CometAPI right now{?detail: “{detail}”}. Choose another model.{?requestId (request id: {requestId})}',
  'api.auth': 'CometAPI did not accept the API key (401){?detail: “{detail}”}. Check the key in Settings or COMETAPI_KEY: it may be mistyped, revoked or have extra spaces. Keys are made at https://www.cometapi.com/console/token.{?requestId (request id: {requestId})}',
  'api.forbidden': 'CometAPI refused {action} (403){?detail: “{detail}”}. Your key may not have access to {model}, or a field is not allowed for it.{?requestId (request id: {requestId})}',
  'api.notFound': 'Nothing found at {path} (404){?detail: “{detail}”}. Check the base URL in Settings ({baseUrl}) and that the model supports this route.{?requestId (request id: {requestId})}',
  'api.tooLarge': 'The upload is too large for CometAPI (413){?detail: “{detail}”}. Use a smaller image (a few MB, e.g. resized to the video size).{?requestId (request id: {requestId})}',
  'api.rateLimited': 'CometAPI is limiting how fast we send requests (429){?detail: “{detail}”}. Waiting and trying again.{?requestId (request id: {requestId})}',
  'api.invalidRequest': 'CometAPI says the request was malformed (invalid_request){?detail: “{detail}”}. Check the video settings for this model.{?requestId (request id: {requestId})}',
  'api.server': 'CometAPI or the video provider failed while {action} ({status}){?detail: “{detail}”}. Trying again shortly.{?requestId (request id: {requestId})}',
  'api.validation': 'CometAPI rejected the request ({status}){?detail: “{detail}”}.{?field Check the {field} field.}{?noField Check the video settings for this model.}{?requestId (request id: {requestId})}',
  'api.unknown': 'Unexpected answer {status} from CometAPI while {action}{?detail: “{detail}”}.{?requestId (request id: {requestId})}',
  'api.malformed': 'CometAPI sent an answer we could not read while {action} (not valid JSON). Trying again shortly.',
  'api.unreachable': 'Could not reach {baseUrl} ({reason}). Check your network and the base URL; trying again shortly.',
  'api.dns': 'Could not find {baseUrl}. Check your network connection and the base URL in Settings; trying again shortly.',
  'api.timeout': 'CometAPI did not answer in time while {action}. Trying again shortly.',
  'api.tooBig': 'CometAPI sent an unexpectedly large answer while {action}.',
  'api.broken': 'The connection to CometAPI broke while {action} ({detail}). Trying again shortly.',
  'api.canceled': 'Canceled.',

  // A proxy between us and CometAPI or a download: the request never reached its target
  'proxy.refused': 'The proxy {proxy} refused the connection. Check that it is running and the proxy settings (Settings → Proxy, or HTTPS_PROXY); trying again shortly.',
  'proxy.timeout': 'The proxy {proxy} did not answer in time. Check the proxy settings and your network; trying again shortly.',
  'proxy.notFound': 'The proxy {proxy} could not be found (its name does not resolve). Check the proxy settings; trying again shortly.',
  'proxy.unreachable': 'The proxy {proxy} cannot be reached from this computer. Check the proxy settings and your network; trying again shortly.',
  'proxy.auth': 'The proxy {proxy} asks for a user name and password{?status ({status})}, or did not accept the ones stored. Check them in Settings → Proxy; trying again shortly.',
  'proxy.target': 'The proxy {proxy} could not connect to {target}{?status ({status})}. Trying again shortly.',
  'proxy.failed': 'The connection through the proxy {proxy} failed{?detail ({detail})}. Trying again shortly.',
  'proxy.decideTimeout': 'Finding out which proxy to use for {target} took too long (the system’s proxy settings or the keychain did not answer). Trying again shortly.',
  'proxy.authPaused': 'The proxy {proxy} ({source}) asks for a user name and password{?status ({status})}. New work is paused: put them in the proxy address (http://user:password@host:port), or choose the proxy and its password in Settings → Proxy.',
  'proxy.invalid': 'The proxy address {proxy} cannot be used ({detail}). Fix HTTPS_PROXY, HTTP_PROXY or ALL_PROXY, or choose the proxy in Settings → Proxy.',
  'proxy.hostMissing': 'Enter the proxy’s host name or IP address.',
  'proxy.hostInvalid': 'Enter only the proxy’s host name or IP address, without http:// or a path.',
  'proxy.portInvalid': 'The proxy port is a whole number from 1 to 65535.',
  'proxy.passwordWithoutUser': 'A password needs a user name.',
  'proxy.credentialsInvalid': 'The user name cannot contain a colon, and neither it nor the password can contain control characters.',
  'proxy.noStorage': 'The proxy’s user name and password cannot be stored on this computer: {detail}',
  'proxy.obfuscatedAsk': 'The only place left to keep the proxy’s user name and password is a file that is obfuscated, not encrypted: anyone who can read your files can read them. Store them there anyway?',

  // Creating
  'create.modelUnavailable': 'The model {model} is not available on CometAPI right now (“{detail}”). Choose another model.',
  'create.refused': '{vendor} refused the job: “{detail}”. Check the prompt and settings for this model.',
  'create.imageUnreadable': '{detail}',
  'create.checkingArrival': 'Checking with the provider whether this job arrived…',
  'create.neverArrived': 'The provider never received this job; sending it again (no double charge).',
  'create.lookupUnreachable': 'Could not reach CometAPI to check whether this job arrived; will ask again.',
  'create.needsDecision':
    'We sent this job to {vendor} but no answer came back ({why}), so we cannot tell whether the provider started it — and will bill it. Look for it in your CometAPI dashboard. Resubmit only if it is not there: resubmitting may create and bill a second video.',
  'create.why.stopped': 'the app stopped while the job was being sent',
  'create.why.unreadable': 'CometAPI accepted the job but its answer could not be read',
  'create.why.duplicate': 'the provider says it already has a job with this id',
  'create.waiting': 'Waiting to send again: {detail}',

  // Generating
  'poll.maxAge': '{vendor} has not finished this video after {hours} hours, so we stopped checking. It may still finish (and bill) on the provider’s side: check again to look for it, or dismiss it.',
  'poll.odd': 'CometAPI answered oddly ({detail}); still checking.',
  'poll.missing': '{vendor} says it does not know this task ({remoteId}) right now; still checking.',
  'poll.lost': 'Lost contact: for {minutes} minutes {vendor} has said it does not know this task ({remoteId}). The video may still be made (and billed). Check again later, or dismiss it.',
  'poll.expired': '{vendor} says this task expired before it finished{?detail: “{detail}”}. Retrying starts a new paid job.',
  'poll.failed': '{vendor} could not make this video{?detail: “{detail}”}. Change the prompt or settings, or retry (a new paid job).',
  'poll.unknownStatus': '{vendor} reports a status we do not know (“{status}”); still checking.',

  // Downloading
  'download.linkExpired': 'The download link expired; asking for a fresh one…',
  'download.linkKeptExpiring': 'The link to the finished video kept expiring and {vendor} gave no working new one. The video was made (and billed); try “Retry download” later.',
  'download.notVideo': 'The result link did not lead to a video ({detail}). Retry the download, or contact CometAPI support with the task id {remoteId}.',
  'download.notVideoRetry': '{detail} Trying again with a fresh link…',
  'download.waiting': 'Waiting: {detail}',
  'download.interrupted': 'Download interrupted ({detail}); resuming in {seconds} s.',
  'download.failed': '{detail}',
  'download.retrying': 'Downloading again at your request (no new video is made)…',

  // The API key
  'key.empty': 'The key is empty. Paste the key from https://www.cometapi.com/console/token.',
  'key.spaces': 'The key contains spaces or line breaks inside it. Paste only the key itself (it looks like sk-…).',
  'key.control': 'The key contains invisible control characters. Copy it again from the CometAPI console.',
  'key.short': 'That key is too short to be a CometAPI key. Copy the whole key from the console.',
  'key.saved.keychain': 'Key …{last4} saved in the OS keychain.{?unchecked It could not be checked now ({unchecked}); it will be used as soon as CometAPI answers.}',
  'key.saved.encrypted-file': 'Key …{last4} saved in an encrypted file (no OS keychain is available).{?unchecked It could not be checked now ({unchecked}); it will be used as soon as CometAPI answers.}',
  'key.saved.obfuscated-file': 'Key …{last4} saved in an obfuscated file (not encrypted: there is no OS keychain).{?unchecked It could not be checked now ({unchecked}); it will be used as soon as CometAPI answers.}',
  'key.saved.session': 'Key …{last4} kept for this session only; you will be asked for it again next time.{?unchecked It could not be checked now ({unchecked}); it will be used as soon as CometAPI answers.}',
  'key.obfuscatedAsk': 'There is no OS keychain here, so the key could only be kept in a file that is obfuscated, not encrypted: anyone who can read your files can read it. Store it anyway, keep it for this session only, or set COMETAPI_KEY instead.',
  'key.saved.env': 'Key …{last4} saved; COMETAPI_KEY is set and is used first.{?unchecked It could not be checked now ({unchecked}); it will be used as soon as CometAPI answers.}',
  'key.rejected': 'CometAPI did not accept this key. Check that you copied all of it (it starts with sk-, with no spaces) and that it has not been deleted or disabled. Keys are made and managed at https://www.cometapi.com/console/token.',
  'key.forbidden': 'CometAPI knows this key but refused it: it may have no quota left or not be allowed to use the API. Check it at https://www.cometapi.com/console/token.',
  'key.storeFailed': 'Could not save the key: {detail}',
  'key.problem': '{detail}',

  // The base URL (where the key is sent)
  'baseUrl.invalid': '“{url}” is not a web address. The base URL looks like https://api.cometapi.com.',
  'baseUrl.rule': 'The base URL must start with https:// (plain http:// only to this computer: localhost, 127.0.0.1 or ::1), not “{url}”: your API key is sent to it.',
  'baseUrl.credentials': 'The base URL must not carry a user name or password; the API key is the only credential sent.',
  'baseUrl.confirm': 'Your API key will be sent to {host}. Confirm the change to use it.',

  // The engine paused
  'pause.databaseDeleted': 'The app’s database file (studio.db) was deleted while the app was running. It has been written back from the copy still open; new jobs wait until you restart Comet Video Studio. Nothing was lost, and your videos are safe in the library folder.',
  'pause.databaseReplaced': 'The app’s database file (studio.db) was replaced while the app was running. New jobs wait: restart Comet Video Studio to use the new file. Your videos are safe in the library folder.',

  // Requests from the app that cannot be done
  'ui.noFinishedVideo': 'This job has no finished video yet.',
  'ui.videoGone': 'That video is no longer in the library.',
  'ui.imageNotChosen': 'The image {name} was not chosen in the app; drop or pick it again.',
  'ui.fixedUnreadable': 'The fixed image could not be read back; try again.',
  'ui.onlyWebLinks': 'Only web links (http/https) can be opened.',
  'ui.fileNotChosen': 'This file was not dropped or picked in the app, so it is not read; drop or pick it again.',
  'ui.folderNotChosen': 'Choose the new library folder with the folder picker.',
  'ui.exportInsideLibrary': 'Export to a folder outside the library folder: copies inside it would be indexed twice.',
  'ui.libraryFolderGone': 'The library folder {folder} cannot be found. Reconnect its disk, or choose another folder in Settings.',
  'ui.saveInsideLibrary': 'Save the copy outside the library folder: a file there could replace a library video.',
  'job.notFound': 'No job with id {id}.',
  'job.cannotCancel': 'This job has already ended ({state}).',
  'job.notRetryable': 'Only a failed, canceled or undecided job can be retried.',
  'job.alreadyRetried': 'This job was already retried: its retry is in the queue.',
  'job.nothingToRetry': 'There is nothing to retry: none of these jobs was failed by the provider without having been retried already.',
  'job.useRetryDownload': 'This video was already made (and billed): use Retry download, which fetches it again without making a new one.',
  'job.notDownloadFailed': 'Only a made video whose download did not finish can be downloaded again.',
  'job.notLost': 'This job has not lost contact with the provider.',
  'job.remixNotFinished': 'Only a finished video can be remixed.',
  'job.noRemix': '{model} cannot remix videos.',
  'job.notUndecided': 'This job is not waiting for a decision.',
  'library.badName': '"{name}" is not a valid library file name.',
  'library.outside': '"{name}" is not inside the library folder.',
  'library.missingFile': 'The downloaded file is missing; download the video again.',
  'library.sizeMismatch': 'The downloaded file has {actual} bytes but {expected} were expected; download it again.',
  'library.gone': 'This video is no longer in the library.',
  'move.sizeDiffers': 'Copying {file} did not produce the same size; it was left where it was.',
  'move.same': 'That is already the library folder.',
  'move.insideCurrent': 'The new folder is inside the current library folder; pick a folder outside it.',
  'move.containsCurrent': 'The current library folder is inside the new one; pick another folder.',
  'move.done': 'Moved {moved} file(s) to {to}.{?skipped {skipped} file(s) were left in the old folder because the new one already had files with those names.}',
  'move.failed': 'Could not move the library: {detail}. Nothing was lost; the library stays at {from}.',
  'ipc.forbidden': 'Refused: not the app window.',
  'ipc.unknownChannel': 'Unknown request.',
  'ipc.invalid': 'Invalid request for {channel}{?field ({field})}: {detail}.',
  'ipc.busy': 'Another program is holding the app’s database locked, so this could not be saved. Nothing was lost; try again in a moment.',
  'ipc.internal': 'Something went wrong ({detail}). Your jobs and videos are safe; try again.',

  // Actions
  'cancel.notBilled': 'Canceled before it was sent: nothing was billed.',
  'cancel.mayBill': 'Stopped watching this job. CometAPI cannot cancel a video task, so the provider may still finish it and bill you.',
  'held.overCapOne': 'Held: this job (about {estimate}) would take today’s spend to {total}, above your daily cap of {cap}. Confirm to send it.',
  'held.overCap': 'Held: these {count} jobs (about {estimate}) would take today’s spend to {total}, above your daily cap of {cap}. Confirm to send them.',
  'held.priceUnknown': 'Held: the price of {count} job(s) is unknown, so they cannot be checked against your daily cap of {cap}. Confirm to send them.',
  'contact.checking': 'Looking for this task again at your request.',
  'contact.dismissed': 'Dismissed. If the provider does finish the video, it may still bill it.',
  'decide.resubmitted': 'Resubmitted at your request.',
  'decide.dismissed': 'Not resubmitted. If the provider did receive it, it may still bill it.',
  'retry.replaced': 'Replaced by a retry.',
  'ui.saveExists': 'A file named “{name}” is already there; it was not replaced. Choose another name.',
  'ui.notLibraryVideo': 'Only videos in the library folder are opened or shown, and “{name}” is not one.',

  // The app's own updates (src/app/updates.ts): why a check, download or install failed
  'update.offline': 'The update server could not be reached ({detail}). Check your network connection and proxy.',
  'update.noFeed': 'The update server has no release of this app to offer yet.',
  'update.badFeed': 'The update information on the server could not be read.',
  'update.checksum': 'The downloaded update did not match its checksum, so it was thrown away.',
  'update.signature': 'The downloaded update is not signed by the publisher of this app, so it was not installed.',
  'update.unsigned': 'This copy of the app is not signed, so it cannot update itself. Download the new version from the website.',
  'update.disk': 'There is not enough free disk space to download the update.',
  'update.server': 'The update server answered with an error ({status}).',
  'update.installStalled': 'The update did not start installing. Try Restart again, or download the new version from the website.',
  'update.other': '{detail}',

  // Named keys
  'keyLabel.empty': 'Give the key a name, e.g. “Team” or “Personal”.',
  'keyLabel.long': 'A key’s name is at most 40 characters.',
  'keyLabel.control': 'A key’s name cannot hold control characters.',
  'keyLabel.taken': 'A key named “{label}” already exists. Choose another name.',
  'keyCap.invalid': 'A key’s daily cap is an amount of 0 or more, or none.',
  'keyProfile.unknown': 'There is no key named “{key}”. See the keys with `comet-video key list` or in Settings.',
  'keyProfile.noSecret': 'The key “{key}” has no value stored on this computer. Set it again in Settings or with `comet-video key set --name {key}`.',
  'api.authKey': 'CometAPI did not accept the key “{key}” (401){?detail: “{detail}”}. Check it in Settings → API key (or `comet-video key set --name {key}`): it may be mistyped, revoked or have extra spaces.{?requestId (request id: {requestId})}',
  'keyRemove.isDefault': 'This is the default key. Make another key the default first, then remove this one.',
  'keyRemove.inFlight': '{count} job(s) sent with “{key}” have not finished; without the key they cannot be checked or downloaded. Remove it anyway?',
  'held.overKeyCapOne': 'Held: this job (about {estimate}) would take today’s spend with the key “{key}” to {total}, above that key’s daily cap of {cap}. Confirm to send it.',
  'held.overKeyCap': 'Held: these {count} jobs (about {estimate}) would take today’s spend with the key “{key}” to {total}, above that key’s daily cap of {cap}. Confirm to send them.',

  // Watched folders
  'watch.empty': 'The file is empty (0 bytes).',
  'watch.notImage': 'Not an image. Only PNG, JPEG, WebP, GIF and BMP files become jobs.',
  'watch.notImageNamed': 'Named like an image, but its content is not one.',
  'watch.notRegular': 'Not a file of this folder (a link, or a special file): only files saved directly in the folder are sent.',
  'watch.incomplete': 'The file does not end like a whole image yet (still being written?); it is looked at again when it changes.',
  'watch.skippedExisting': 'Already there when the folder was added: not sent.',
  'watch.folderBack': 'Watching {path} again.',
  'watch.unreadable': 'Could not read the file: {detail}',
  'watch.refused': 'The model does not accept it: {detail}',
  'watch.waitingModels': 'Waiting for the model list (CometAPI could not be reached); trying again shortly.',
  'watch.waitingProblem': 'Not sent yet ({detail}); trying again shortly.',
  'watch.folderMissing': 'The folder {path} cannot be found (moved, deleted, or its disk is not connected). Watching starts again once it is back.',
  'watch.folderProblem': 'Watching {path} stopped: {detail}. Trying again shortly.',
  'watch.notFolder': '{path} is not a folder.',
  'watch.folderNotChosen': 'Choose the folder to watch with the folder picker.',
  'watch.alreadyWatched': 'The folder {path} is already watched.',
  'watch.unknownFolder': 'That folder is no longer watched.',
  'watch.modelUnknown': 'The model "{model}" is not in the CometAPI catalog. Refresh the model list or pick another model.',
  'watch.modelNoImages': 'The model {model} does not take images: pick an image-to-video model for a watched folder.'
} as const

export type MessageCode = keyof typeof MESSAGES
export type MessageParams = Record<string, string | number>

/** A sentence for a person: its code, its parameters and its English text. */
export interface Message {
  code: MessageCode
  params: MessageParams
  text: string
}

function present(v: string | number | undefined): boolean {
  return v !== undefined && v !== ''
}

/** Fills a template: `{name}` placeholders and `{?name …}` optional parts (which may hold placeholders). */
export function fill(template: string, params: MessageParams): string {
  const withOptional = template.replace(/\{\?(\w+)((?:[^{}]|\{\w+\})*)\}/g, (_m, name: string, inner: string) => (present(params[name]) ? inner : ''))
  return withOptional.replace(/\{(\w+)\}/g, (m, name: string) => (params[name] !== undefined ? String(params[name]) : m))
}

/** The English sentence for a code. */
export function english(code: MessageCode, params: MessageParams = {}): string {
  return fill(MESSAGES[code], moneyParams(params, 'en-US'))
}

/** A message with its English text. */
export function msg(code: MessageCode, params: MessageParams = {}): Message {
  return { code, params, text: english(code, params) }
}

/** An error whose message is a sentence for the person, with its code for translation. */
export class SentenceError extends Error {
  constructor(readonly sentence: Message) {
    super(sentence.text)
    this.name = 'SentenceError'
  }
}
