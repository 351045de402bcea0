// A model as people know it: its catalog name, never an id cut to "doubao-see…"; the id stays in the
// tooltip (and in details screens, which show both).
import type { ReactElement } from 'react'
import { useModelName } from '../../store/app'

export function ModelName({ id, className }: { id: string; className?: string }): ReactElement {
  const name = useModelName(id)
  return (
    <span className={className} title={name === id ? id : `${name} (${id})`} data-model-id={id}>
      {name}
    </span>
  )
}
