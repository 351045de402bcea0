// Dropped files → batch cards, and batch cards → jobs.
import { t } from '../../i18n'
import { defaultBatchModel } from '../common/defaultModels'
export { defaultBatchModel }
import { inspectPaths, pathsOf } from '../../lib/files'
import { modelById, navigate } from '../../store/app'
import { useBatch } from '../../store/batch'
import { toastInfo } from '../../store/toasts'

export async function addFilesToBatch(files: File[]): Promise<void> {
  const paths = pathsOf(files)
  if (paths.length === 0) {
    toastInfo(t('batch.noPaths'))
    return
  }
  await addPathsToBatch(paths)
}

export async function addPathsToBatch(paths: string[]): Promise<void> {
  const batch = useBatch.getState()
  if (!batch.model) batch.setModel(defaultBatchModel())
  navigate({ name: 'batch' })
  batch.setInspecting(paths.length)
  try {
    const reply = await inspectPaths(paths, useBatch.getState().model)
    if (reply) useBatch.getState().add(reply.cards, reply.rejected, reply.scanned)
  } finally {
    useBatch.getState().setInspecting(-paths.length)
  }
}

/** A new model has other limits: ask main again so every card's problems are about this model. */
export async function changeBatchModel(model: string): Promise<void> {
  const batch = useBatch.getState()
  batch.setModel(model)
  const m = modelById(model)
  if (m) {
    const r = m.rules
    const s = batch.settings
    batch.setSettings({
      seconds: s.seconds !== null && r.seconds && s.seconds >= r.seconds.min && s.seconds <= r.seconds.max ? s.seconds : null,
      size: r.size && (r.size.open || r.size.allowed.includes(s.size)) ? s.size : '',
      aspectRatio: r.aspectRatio && (r.aspectRatio.open || r.aspectRatio.allowed.includes(s.aspectRatio)) ? s.aspectRatio : '',
      resolution: r.resolution && (r.resolution.open || r.resolution.allowed.includes(s.resolution)) ? s.resolution : ''
    })
  }
  const paths = batch.cards.map((c) => c.path)
  if (paths.length === 0) return
  batch.setInspecting(paths.length)
  try {
    const reply = await inspectPaths(paths, model)
    if (reply) useBatch.getState().reset(reply.cards, [...useBatch.getState().rejected, ...reply.rejected.filter((r) => !useBatch.getState().rejected.some((x) => x.path === r.path))])
  } finally {
    useBatch.getState().setInspecting(-paths.length)
  }
}
