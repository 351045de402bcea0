// Remembers the window's size, position and maximized state between launches.
import { readFileSync, writeFileSync } from 'node:fs'
import type { BrowserWindow, Rectangle } from 'electron'
import { screen } from 'electron'

export interface WindowState {
  bounds: Rectangle
  maximized: boolean
}

const DEFAULT: WindowState = { bounds: { x: 0, y: 0, width: 1360, height: 880 }, maximized: false }

export function loadWindowState(file: string): WindowState & { positioned: boolean } {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as WindowState
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea
      return s.bounds.x < a.x + a.width && s.bounds.x + s.bounds.width > a.x && s.bounds.y < a.y + a.height && s.bounds.y + s.bounds.height > a.y
    })
    if (visible && s.bounds.width >= 640 && s.bounds.height >= 480) return { ...s, positioned: true }
  } catch {
    // First launch or unreadable: defaults.
  }
  return { ...DEFAULT, positioned: false }
}

export function trackWindowState(win: BrowserWindow, file: string): void {
  const save = (): void => {
    if (win.isDestroyed()) return
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() }
    try {
      writeFileSync(file, JSON.stringify(state))
    } catch {
      // Not worth failing over.
    }
  }
  win.on('close', save)
  win.on('resized', save)
  win.on('moved', save)
}
