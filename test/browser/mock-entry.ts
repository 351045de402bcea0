// Test-build entry: with ?mock=1 the fake StudioApi is installed before the app starts (the app
// waits for window.api). Never part of the production bundle.
import { createMockApi } from './mockApi'

if (new URLSearchParams(location.search).get('mock') === '1' && !window.api) {
  window.api = createMockApi()
  window.dispatchEvent(new Event('cvs:api-ready'))
}
