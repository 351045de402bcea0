// window.api for the browser test host: the preload API (StudioApi) over a WebSocket.
// window.__HOST__ = { mediaBase, dropRoot, sep } is prepended by the host.
;(() => {
  const cfg = window.__HOST__
  const pending = new Map()
  const listeners = new Map()
  let seq = 0
  let ws
  let ready
  const encode = (v) => {
    if (v instanceof Uint8Array) {
      let s = ''
      for (let i = 0; i < v.length; i += 0x8000) s += String.fromCharCode.apply(null, v.subarray(i, i + 0x8000))
      return { $bytes: btoa(s) }
    }
    if (Array.isArray(v)) return v.map(encode)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]))
    return v
  }
  const decode = (v) => {
    if (Array.isArray(v)) return v.map(decode)
    if (v && typeof v === 'object') {
      if (typeof v.$bytes === 'string' && Object.keys(v).length === 1) return Uint8Array.from(atob(v.$bytes), (c) => c.charCodeAt(0))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]))
    }
    return v
  }
  let everOpened = false
  const connect = () => {
    ws = new WebSocket(`ws://${location.host}/__bridge`)
    ready = new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }))
    ws.addEventListener('open', () => {
      // The app service restarted (in Electron the window would restart with it): start fresh.
      if (everOpened) location.reload()
      everOpened = true
    })
    ws.addEventListener('message', (e) => {
      // Only a message that carries bytes needs the walk (a 10,000-job list would pay ~100 ms for nothing).
      const msg = e.data.includes('"$bytes"') ? decode(JSON.parse(e.data)) : JSON.parse(e.data)
      if (msg.id !== undefined) {
        const p = pending.get(msg.id)
        if (!p) return
        pending.delete(msg.id)
        // The wire result itself, as Electron's preload gives it: the page unwraps it (api.ts).
        p.resolve(msg.result)
      } else if (msg.event) {
        for (const fn of listeners.get(msg.event) || []) fn(msg.payload)
      }
    })
    ws.addEventListener('close', () => {
      for (const p of pending.values()) p.reject(new Error('The app service restarted; try again.'))
      pending.clear()
      // The host may be restarting (tests kill it): reconnect.
      setTimeout(connect, 300)
    })
  }
  connect()
  // Stands in for the preload's record of chosen files: the tests' drops are synthetic events.
  const recordChosen = (files) => {
    const paths = Array.from(files || [], (f) => `${cfg.dropRoot}${cfg.sep}${f.webkitRelativePath || f.name}`)
    if (paths.length) void window.api.invoke('files.chosen', { paths })
  }
  window.addEventListener('drop', (e) => recordChosen(e.dataTransfer && e.dataTransfer.files), true)
  window.addEventListener('change', (e) => e.target instanceof HTMLInputElement && e.target.type === 'file' && recordChosen(e.target.files), true)
  window.api = {
    async invoke(channel, request) {
      await ready
      const id = ++seq
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        ws.send(JSON.stringify({ id, channel, payload: encode(request) }))
      })
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set())
      listeners.get(event).add(listener)
      return () => listeners.get(event).delete(listener)
    },
    // Electron gives the real path; here dropped files are taken from the host's drop folder.
    pathForFile(file) {
      return `${cfg.dropRoot}${cfg.sep}${file.webkitRelativePath || file.name}`
    },
    mediaBase: cfg.mediaBase,
    // Electron's preload sends drag.start for main to start the OS drag; the host records what it would drag.
    startDrag(ref) {
      void ready.then(() => ws.send(JSON.stringify({ send: 'drag.start', payload: ref })))
    }
  }
})()
