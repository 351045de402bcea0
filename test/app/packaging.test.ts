// The installer configuration (build/electron-builder.json) checked by electron-builder's own schema
// validation and for the things a release depends on.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRODUCT_NAME } from '../../src/core/paths'
import { parseImageHeader } from '../../src/shared/imageHeader'

const ROOT = join(import.meta.dirname, '../..')
const config = JSON.parse(readFileSync(join(ROOT, 'build/electron-builder.json'), 'utf8'))
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const require = createRequire(import.meta.url)
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, log: { isEnabled: boolean; add: () => void }) => Promise<void>
    }
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => { isEnabled: boolean; add: () => void } }
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('names the app the way the CLI looks for its data folder', () => {
    expect(config.productName).toBe(PRODUCT_NAME)
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9]+)+$/)
  })

  it('builds AppImage and deb on Linux, dmg on macOS (plus the zip its auto-update installs from), nsis on Windows', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg', 'zip'])
    expect(config.win.target).toEqual(['nsis'])
  })

  it('unpacks native modules from the asar archive and rebuilds them for Electron', () => {
    expect(config.asar).toBe(true)
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/keytar/**', '**/*.node']))
    expect(config.npmRebuild).toBe(true)
    expect(pkg.dependencies['better-sqlite3']).toBeTruthy()
    expect(pkg.optionalDependencies.keytar).toBeTruthy()
  })

  it('unpacks the ffmpeg and ffprobe binaries the poster maker runs (an executable inside app.asar cannot be started)', () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/@ffmpeg-installer/**', '**/node_modules/@ffprobe-installer/**']))
    expect(pkg.dependencies['@ffmpeg-installer/ffmpeg']).toBeTruthy()
    expect(pkg.dependencies['@ffprobe-installer/ffprobe']).toBeTruthy()
  })

  it('flips Electron’s fuses for the packaged binary (security checklist: fuses)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true
    })
  })

  it('ships the built app and points package.json at it', () => {
    expect(config.files).toContain('out/**/*')
    expect(pkg.main).toBe('./out/main/index.js')
    expect(pkg.scripts.dist).toContain('electron-builder --config build/electron-builder.json')
  })

  it('has icons of the sizes each platform needs', () => {
    const png = (p: string): { w: number | null; h: number | null } => {
      const h = parseImageHeader(new Uint8Array(readFileSync(join(ROOT, p))))
      return { w: h?.width ?? null, h: h?.height ?? null }
    }
    expect(png('build/icon.png')).toEqual({ w: 1024, h: 1024 })
    expect(png('build/icons/512x512.png')).toEqual({ w: 512, h: 512 })
    expect(png('build/icons/256x256.png')).toEqual({ w: 256, h: 256 })
    expect(readFileSync(join(ROOT, config.mac.icon)).subarray(0, 4).toString('latin1')).toBe('icns')
    const ico = readFileSync(join(ROOT, config.win.icon))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]) // ICO header: reserved 0, type 1
    expect(existsSync(join(ROOT, config.linux.icon))).toBe(true)
  })
})
