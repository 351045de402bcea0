// The only bridge between the renderer and main: a typed client built from the contract's channel
// names. No raw ipcRenderer reaches the page.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES, wireName } from '../shared/ipc/channels'
import type { StudioApi, WireResult } from '../shared/ipc/contract'

const INVOKE: readonly string[] = INVOKE_CHANNEL_NAMES
const EVENTS: readonly string[] = EVENT_CHANNEL_NAMES

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
  mediaBase: 'media:/'
}

contextBridge.exposeInMainWorld('api', api)
