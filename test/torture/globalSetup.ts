// Starts the run with an empty figures file and prints every test's figures once the suite is done.
import { rmSync } from 'node:fs'
import { FIGURES_FILE, formatBlock, readFigures } from './figures'

export default function setup(): () => void {
  rmSync(FIGURES_FILE, { force: true })
  const started = Date.now()
  return () => {
    const all = readFigures()
    const blocks = Object.entries(all).map(([section, figures]) => formatBlock(section, figures))
    if (!blocks.length) return
    console.log(`\n════ What the torture suite proved (${Math.round((Date.now() - started) / 1000)} s; also in test-results/torture-figures.json) ════\n`)
    console.log(blocks.join('\n\n'))
    console.log('')
  }
}
