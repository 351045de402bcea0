import { describe, expect, it } from 'vitest'
import { english, fill, MESSAGES, type MessageCode } from '../../src/shared/messages'
import { engineText } from '../../src/renderer/src/i18n'
import { zhCN } from '../../src/renderer/src/i18n/zh-CN'

const placeholders = (t: string): string[] => [...t.matchAll(/\{\??(\w+)/g)].map((m) => m[1]).sort()

describe('engine messages', () => {
  it('fills parameters and keeps optional parts only when their parameter is set', () => {
    expect(fill('a{?detail: “{detail}”}.', { detail: 'x' })).toBe('a: “x”.')
    expect(fill('a{?detail: “{detail}”}.', { detail: '' })).toBe('a.')
    expect(fill('a{?detail: “{detail}”}.', {})).toBe('a.')
    expect(fill('{missing} stays', {})).toBe('{missing} stays')
    expect(english('poll.failed', { vendor: 'Kling', detail: '' })).toBe('Kling could not make this video. Change the prompt or settings, or retry (a new paid job).')
  })

  it('has a 简体中文 translation for every code, using the same parameters', () => {
    for (const code of Object.keys(MESSAGES) as MessageCode[]) {
      const zh = (zhCN as Record<string, string>)[`msg.${code}`]
      expect({ code, has: typeof zh === 'string' }).toEqual({ code, has: true })
      for (const name of placeholders(zh)) expect({ code, name, known: placeholders(MESSAGES[code]).includes(name) }).toEqual({ code, name, known: true })
    }
  })

  it('the renderer says an engine sentence in the user’s language, and the engine’s English otherwise', () => {
    const params = { vendor: 'Kling', detail: 'bad prompt' }
    const text = english('poll.failed', params)
    expect(engineText('en', text, 'poll.failed', params)).toBe(text)
    expect(engineText('zh-CN', text, 'poll.failed', params)).toBe('Kling 无法生成此视频：“bad prompt”。请修改提示词或参数，或重试（新的付费任务）。')
    // The action inside an API message is translated too.
    const api = { baseUrl: 'https://api.cometapi.com', action: 'creating the video', actionCode: 'create', status: 502, detail: '', requestId: '' }
    expect(engineText('zh-CN', english('api.server', api), 'api.server', api)).toBe('创建视频时 CometAPI 或视频服务商出错（502）。稍后会自动重试。')
    expect(engineText('zh-CN', 'plain text', null, null)).toBe('plain text')
  })
})
