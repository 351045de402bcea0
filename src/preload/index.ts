// The only bridge between the renderer and main: a typed client built from the contract's channel
// names. No raw ipcRenderer reaches the page.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES, PRELOAD_ONLY_CHANNELS, SEND_CHANNEL_NAMES, wireName } from '../shared/ipc/channels'
import type { StudioApi, WireResult } from '../shared/ipc/contract'

const INVOKE: readonly string[] = INVOKE_CHANNEL_NAMES.filter((c) => !PRELOAD_ONLY_CHANNELS.includes(c))
const EVENTS: readonly string[] = EVENT_CHANNEL_NAMES
const DRAG_START: (typeof SEND_CHANNEL_NAMES)[number] = 'drag.start'

const api: StudioApi = {
  async invoke(channel, request) {
    if (!INVOKE.includes(channel)) return { ok: false, error: { code: 'unknown_channel', message: 'Unknown request.', messageCode: 'ipc.unknownChannel', params: {} } }
    return (await ipcRenderer.invoke(wireName(channel), request)) as WireResult<never>
  },
  on(event, listener) {
    if (!EVENTS.includes(event)) throw new Error(`Unknown event ${String(event)}`)
    const wrapped = (_e: Electron.IpcRendererEvent, payload: unknown): void => listener(payload as never)
    ipcRenderer.on(wireName(event), wrapped)
    return () => {
      ipcRenderer.removeListener(wireName(event), wrapped)
    }
  },
  // Only a real File of a drop has a path; anything else the page passes gets none.
  pathForFile: (file) => (file instanceof File ? webUtils.getPathForFile(file) : ''),
  // media://library/<file>, media://poster/<id>, media://image/<token>
  mediaBase: 'media:/',
  // A send, not an invoke: main starts the OS drag at once, while the mouse is still down. Only an
  // id travels (main finds the file and checks it is a library video); anything else is dropped.
  startDrag(ref) {
    if (!ref || typeof ref !== 'object') return
    const id = 'jobId' in ref ? { jobId: ref.jobId } : 'itemId' in ref ? { itemId: ref.itemId } : null
    if (id && typeof Object.values(id)[0] === 'string') ipcRenderer.send(wireName(DRAG_START), id)
  }
}

contextBridge.exposeInMainWorld('api', api)

// The files the person really chose: read here, from trusted drop and file-picker events (a page
// cannot fake isTrusted, nor give a File it made a path), and told to main before the page's own
// handlers run. Main reads no other path the page names.
function recordChosen(files: FileList | null | undefined): void {
  const paths = Array.from(files ?? [], (f) => webUtils.getPathForFile(f)).filter((p) => p !== '')
  if (paths.length) void ipcRenderer.invoke(wireName('files.chosen'), { paths }).catch(() => undefined)
}
window.addEventListener('drop', (e) => e.isTrusted && recordChosen(e.dataTransfer?.files), true)
window.addEventListener('change', (e) => e.isTrusted && e.target instanceof HTMLInputElement && e.target.type === 'file' && recordChosen(e.target.files), true)
