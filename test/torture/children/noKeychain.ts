// Runs in a process with no Secret Service (no D-Bus session): the app's services with the same
// secret backends the desktop app uses (OS keychain first, then the safeStorage file — which on
// Linux without a keyring is Electron's `basic_text`: obfuscated, not encrypted).
// argv: <dataDir> <apiUrl> <keychain service name>. Prints one JSON line with what it saw.
import { join } from 'node:path'
import { keytarBackend, SecretStore } from '../../../src/core/secrets/secretStore'
import { fileBackend, makeStudio, until } from '../helpers'

const [dataDir, apiUrl, service] = process.argv.slice(2)
const secrets = [keytarBackend(service, 'torture'), fileBackend(join(dataDir, 'cometapi-key.enc'), 'basic_text')]
const rig = makeStudio(dataDir, apiUrl, { key: null, backends: secrets })
rig.studio.start()
const before = await rig.studio.o.secrets.status()
// Asked first: the only place left would merely obfuscate the key.
const asked = await rig.studio.setKey('  sk-test-good  ')
const saved = await rig.studio.setKey('  sk-test-good  ', { allowObfuscated: true })
const r = await rig.studio.engine.createJobs({ specs: [{ model: 'sora-2', prompt: 'no keychain, still works', seconds: 4, size: '1280x720' }] })
if (!r.ok) throw new Error(JSON.stringify(r.errors))
const id = r.jobs[0].id
await until(() => ['completed', 'failed'].includes(rig.studio.engine.getJob(id)!.state), 20_000)
const job = rig.studio.engine.getJob(id)!
await rig.studio.stop()
// A fresh start reads the key back from where it was kept.
const again = await new SecretStore({ backends: [keytarBackend(service, 'torture'), fileBackend(join(dataDir, 'cometapi-key.enc'), 'basic_text')] }).status()
process.stdout.write(JSON.stringify({ before, asked, saved, state: job.state, again }) + '\n')
process.exit(0)
