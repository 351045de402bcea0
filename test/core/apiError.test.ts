import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ApiError, classifyHttpFailure, classifyMalformed, classifyTransportError, redact } from '../../src/core/http/apiError'
import { TransportError } from '../../src/core/http/transport'

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/cometapi/fixtures.json', import.meta.url), 'utf8'))
const cases = fixtures.errors.cases as Record<string, { status: number; body?: unknown; body_text?: string; headers?: Record<string, string>; retry: boolean }>
const ctx = { baseUrl: 'https://api.cometapi.com', path: '/v1/videos', action: 'create' as const, model: 'sora-2' }

function classify(c: { status: number; body?: unknown; body_text?: string; headers?: Record<string, string> }, secrets: string[] = []): ApiError {
  const text = c.body_text ?? JSON.stringify(c.body ?? '')
  const headers = Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]))
  return classifyHttpFailure({ status: c.status, headers, text, body: c.body }, ctx, secrets, 0)
}

describe('error classification (API.md §8)', () => {
  it('follows the documented retry rule for every error case', () => {
    for (const [name, c] of Object.entries(cases)) {
      if (name === '200_with_error_object') continue
      const err = classify(c)
      expect({ name, retry: err.retryable }).toEqual({ name, retry: c.retry })
    }
  })

  it('names the fix in plain words', () => {
    expect(classify(cases['401_bad_key']).message).toMatch(/API key.*Settings.*COMETAPI_KEY.*cometapi\.com\/console\/token/)
    expect(classify(cases['404_bad_path']).message).toMatch(/base URL/)
    expect(classify(cases['404_bad_path']).kind).toBe('bad_base_url')
    expect(classify(cases['413_too_large']).message).toMatch(/smaller image/)
    const missing = classify(cases['400_missing_model'])
    expect(missing.kind).toBe('validation')
    expect(missing.field).toBe('model')
    expect(classify(cases['503_model_not_found']).kind).toBe('model_unavailable')
    expect(classify(cases['500_invalid_request']).kind).toBe('invalid_request')
  })

  it('keeps the request id from inside the message', () => {
    const err = classify(cases['400_missing_model'])
    expect(err.requestId).toBe('20260101000000000000000000000000')
    expect(err.message).toContain('20260101000000000000000000000000')
  })

  it('treats an HTML page where JSON was expected as a wrong base URL', () => {
    const err = classifyHttpFailure({ status: 200, headers: { 'content-type': 'text/html' }, text: '<html><body>Welcome</body></html>', body: undefined }, ctx, [], 0)
    expect(err.kind).toBe('bad_base_url')
    expect(classifyMalformed(ctx, 'text/html', '<!DOCTYPE html><html>').message).toMatch(/check the base URL|Check the base URL/)
  })

  it('honours Retry-After in seconds and as a date', () => {
    const a = classifyHttpFailure({ status: 429, headers: { 'retry-after': '7' }, text: '{}', body: {} }, ctx, [], 0)
    expect(a.retryAfterMs).toBe(7000)
    const b = classifyHttpFailure({ status: 503, headers: { 'retry-after': new Date(10_000).toUTCString() }, text: '{}', body: {} }, ctx, [], 0)
    expect(b.retryAfterMs).toBe(10_000)
  })

  it('marks gateway timeouts and broken connections after sending as outcome-unknown', () => {
    expect(classify({ status: 524, body: { error: { message: 'timeout' } } }).outcomeUnknown).toBe(true)
    expect(classify({ status: 503, body: { error: { message: 'busy' } } }).outcomeUnknown).toBe(false)
    expect(classifyTransportError(new TransportError('x', 'read_timeout', true), ctx).outcomeUnknown).toBe(true)
    expect(classifyTransportError(new TransportError('x', 'refused', false), ctx).outcomeUnknown).toBe(false)
    expect(classifyTransportError(new TransportError('x', 'reset', true), ctx).outcomeUnknown).toBe(true)
  })

  it('500, 502, 504 and 524 and a gateway error page may have reached the provider; 503 and 521–523 did not', () => {
    for (const status of [500, 502, 504, 520, 524]) expect({ status, unknown: classify({ status, body: { error: { message: 'upstream failed' } } }).outcomeUnknown }).toEqual({ status, unknown: true })
    for (const status of [503, 521, 522, 523]) expect({ status, unknown: classify({ status, body: { error: { message: 'busy' } } }).outcomeUnknown }).toEqual({ status, unknown: false })
    const page = classifyHttpFailure({ status: 502, headers: { 'content-type': 'text/html' }, text: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', body: undefined }, ctx, [], 0)
    expect(page.kind).toBe('server')
    expect(page.outcomeUnknown).toBe(true)
    expect(page.message).toMatch(/gateway answered with an error page \(502\)/)
    // A page with a 200 or 404 is still the wrong address, not the gateway.
    expect(classifyHttpFailure({ status: 404, headers: { 'content-type': 'text/html' }, text: '<html></html>', body: undefined }, ctx, [], 0).kind).toBe('not_found')
  })

  it('never lets the key into a message', () => {
    const key = 'sk-abcdefghijklmnopqrstuvwxyz123456'
    const err = classify({ status: 401, body: { error: { message: `invalid token ${key} (request id: abc)` } } }, [key])
    expect(err.message).not.toContain(key)
    expect(err.serverMessage).not.toContain(key)
    expect(redact(`Authorization: Bearer ${key}`, [])).not.toContain(key)
  })
})
