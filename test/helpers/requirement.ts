// A suite that needs something from the machine (a browser, a build, a keychain) runs when it is
// there. Without it, a developer's run skips with a clear message; under CI=true the suite fails
// instead, so a CI that lost its browser or keyring cannot pass by skipping.
export function required(what: string, present: boolean, howTo: string): boolean {
  if (present) return true
  if (process.env.CI === 'true') throw new Error(`${what} is missing (${howTo}); under CI every suite must run, none may skip.`)
  console.warn(`Skipping: ${what} is missing (${howTo}).`)
  return false
}
