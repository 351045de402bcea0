// "Send with": which named key the next jobs go with. Shown only when there is more than one key;
// the choice is read by createJobs (features/common/submit.ts) for compose, batch and compare alike.
import { useEffect, useId, type ReactElement } from 'react'
import { useT } from '../../i18n'
import { keyName, useKeys, watchKeys } from '../../store/keys'
import './keyPicker.css'

export function KeyPicker(): ReactElement | null {
  const t = useT()
  const id = useId()
  const keys = useKeys((s) => s.keys)
  const sendWith = useKeys((s) => s.sendWith)
  useEffect(() => watchKeys(), [])
  if (!keys || keys.length < 2) return null
  const def = keys.find((k) => k.isDefault)
  return (
    <div className="key-picker" data-testid="key-picker">
      <label className="label" htmlFor={id}>
        {t('keys.sendWith')}
      </label>
      <select id={id} className="input select" value={sendWith ?? def?.id ?? ''} onChange={(e) => useKeys.getState().choose(e.target.value)} data-testid="key-picker-select">
        {keys.map((k) => (
          <option key={k.id} value={k.id}>
            {k.isDefault ? t('keys.sendWithDefault', { name: keyName(k) }) : keyName(k)}
          </option>
        ))}
      </select>
    </div>
  )
}
