// "Restart to update": never while a video download is being written unless the person agrees.
import { updatesClient } from '../../clients/updatesClient'
import { t } from '../../i18n'
import { confirmDialog } from '../../store/dialogs'

export async function restartToUpdate(): Promise<void> {
  const reply = await updatesClient.restart('ask').catch(() => null)
  if (!reply || reply.restarting || reply.downloadsWriting === 0) return
  const count = reply.downloadsWriting
  const ok = await confirmDialog({
    title: t('updates.interruptTitle', { count }),
    body: t('updates.interruptBody', { count }),
    confirmLabel: t('updates.restartNow'),
    cancelLabel: t('updates.notNow'),
    testId: 'update-interrupt'
  })
  if (ok) await updatesClient.restart('now').catch(() => null)
}

export async function restartWhenDownloadsFinish(): Promise<void> {
  await updatesClient.restart('whenDownloadsFinish').catch(() => null)
}

export async function cancelWaitingRestart(): Promise<void> {
  await updatesClient.restart('cancel').catch(() => null)
}
