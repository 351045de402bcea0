// Where the packaged app looks for updates: the `publish` entry of build/electron-builder.json
// (electron-builder writes it into the package as resources/app-update.yml), checked by
// electron-builder's schema and read by electron-updater the way the packaged app reads it.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { realUpdater } from '../helpers/realUpdater'

const ROOT = join(import.meta.dirname, '../..')
const config = JSON.parse(readFileSync(join(ROOT, 'build/electron-builder.json'), 'utf8'))
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const require = createRequire(import.meta.url)

describe('the update feed configuration', () => {
  it('publishes to the GitHub releases of the project’s own repository', () => {
    expect(config.publish).toHaveLength(1)
    const [p] = config.publish
    expect(p).toEqual({ provider: 'github', owner: expect.any(String), repo: expect.any(String), releaseType: 'release' })
    expect(pkg.homepage).toBe(`https://github.com/${p.owner}/${p.repo}`)
    // Never a token in the config: a public repository needs none to read releases.
    expect(JSON.stringify(config)).not.toMatch(/token/i)
  })

  it('builds the zip macOS installs updates from (Squirrel.Mac takes no dmg)', () => {
    expect(config.mac.target).toContain('zip')
  })

  it('electron-builder’s schema checks the publish entry (a broken one is refused)', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, log: { isEnabled: boolean; add: () => void }) => Promise<void>
    }
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => { isEnabled: boolean; add: () => void } }
    for (const publish of [[{ provider: 'github', owner: 'o', repo: 'r', releaseType: 'sometimes' }], [{ provider: 'generic' }], [{ provider: 'nonsense' }]]) {
      await expect(validateConfiguration({ ...config, publish }, new DebugLogger(false))).rejects.toThrow(/does not match the API schema/)
    }
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('electron-updater reads it as the packaged app does: a GitHub releases feed of that repository', async () => {
    const [p] = config.publish
    // What electron-builder writes into resources/app-update.yml: the publish entry and the cache folder name.
    const yml = [`owner: ${p.owner}`, `repo: ${p.repo}`, `provider: ${p.provider}`, `releaseType: ${p.releaseType}`, 'updaterCacheDirName: comet-video-studio-updater', ''].join('\n')
    const { updater } = realUpdater(yml, pkg.version)
    const onDisk = await (updater as unknown as { configOnDisk: { value: Promise<Record<string, unknown>> } }).configOnDisk.value
    const { createClient } = require('electron-updater/out/providerFactory') as { createClient: (c: unknown, u: unknown, o: unknown) => { constructor: { name: string }; basePath: string } }
    const client = createClient(onDisk, updater, { isUseMultipleRangeRequest: true, platform: process.platform, executor: null })
    expect(client.constructor.name).toBe('GitHubProvider')
    expect(client.basePath).toBe(`/${p.owner}/${p.repo}/releases`)
  })
})
