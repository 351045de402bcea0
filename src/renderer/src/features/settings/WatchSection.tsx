// Settings › Watched folders: each folder with its recipe, a switch to pause or resume it, remove,
// and what became of its latest files (sent as which job, skipped as a duplicate of which file,
// refused and why, still settling). The list comes from main and follows its pushes.
import { useEffect, useState, type ReactElement } from 'react'
import { watchClient } from '../../clients/watchClient'
import { Button } from '../../components/Button'
import { StateBadge } from '../../components/Feedback'
import { Icon, type IconName } from '../../components/Icon'
import { engineText, fieldErrorText, useLang, useT, type Lang, type MessageKey, type TFunction } from '../../i18n'
import { formatAgo, formatNumber, formatSize } from '../../lib/format'
import { useNow } from '../../lib/useNow'
import { applyDefaults, type WatchFileView, type WatchFolderView, type WatchRecipe } from '../../shared'
import { navigate, useApp, useModelName } from '../../store/app'
import { sizePerImage } from '../../store/batchModel'
import { confirmDialog } from '../../store/dialogs'
import { useJobs } from '../../store/jobs'
import { toastSuccess } from '../../store/toasts'
import { Section } from './SettingsScreen'
import { WatchFolderDialog } from './WatchFolderDialog'
import './watch.css'

/** The watched folders from main, kept current by its `watch.changed` pushes. */
function useWatchedFolders(): { folders: WatchFolderView[] | null; set: (f: WatchFolderView[]) => void } {
  const [folders, setFolders] = useState<WatchFolderView[] | null>(null)
  useEffect(() => {
    let live = true
    const off = watchClient.onChanged((next) => live && setFolders(next))
    watchClient.list().then(
      (list) => live && setFolders(list),
      () => live && setFolders([])
    )
    return () => {
      live = false
      off()
    }
  }, [])
  return { folders, set: setFolders }
}

export function WatchSection(): ReactElement {
  const t = useT()
  const { folders, set } = useWatchedFolders()
  const [adding, setAdding] = useState(false)
  return (
    <Section id="watch" title={t('watch.title')} description={t('watch.hint')}>
      <div className="watch-head">
        <Button icon="plus" onClick={() => setAdding(true)} data-testid="watch-add">
          {t('watch.add')}
        </Button>
      </div>
      {folders && folders.length === 0 ? (
        <p className="hint watch-none" data-testid="watch-none">
          {t('watch.none')}
        </p>
      ) : null}
      <div className="watch-list" data-testid="watch-list">
        {(folders ?? []).map((f) => (
          <FolderCard key={f.id} folder={f} onChanged={set} />
        ))}
      </div>
      {adding ? <WatchFolderDialog onClose={() => setAdding(false)} /> : null}
    </Section>
  )
}

const STATE_ICON: Record<WatchFolderView['state'], IconName> = { starting: 'clock', watching: 'check', paused: 'pause', unavailable: 'alert' }

function RecipeLine({ recipe }: { recipe: WatchRecipe }): ReactElement {
  const t = useT()
  const name = useModelName(recipe.model)
  const model = useApp((s) => s.catalog.models.find((m) => m.id === recipe.model))
  // What each job is sent with: the recipe's fields, the model's defaults for the rest (as the engine fills them).
  const r = model ? applyDefaults(recipe, model.rules) : recipe
  const parts = [name]
  if (r.seconds != null) parts.push(t('field.secondsValue', { n: r.seconds }))
  if (r.size) parts.push(formatSize(r.size))
  else if (model && sizePerImage(model)) parts.push(t('batch.sizePerImage'))
  if (r.aspectRatio) parts.push(r.aspectRatio)
  if (r.resolution) parts.push(r.resolution)
  return (
    <div className="watch-recipe" data-testid="watch-recipe">
      <span className="watch-recipe-fields">{parts.join(' · ')}</span>
      <span className="watch-recipe-prompt" title={recipe.prompt}>
        “{recipe.prompt}”
      </span>
    </div>
  )
}

function FolderCard({ folder, onChanged }: { folder: WatchFolderView; onChanged: (f: WatchFolderView[]) => void }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  // The switch shows the person's choice at once; main's answer (or push) then says how it stands.
  const [wanted, setWanted] = useState<boolean | null>(null)
  const toggle = async (watching: boolean): Promise<void> => {
    setWanted(watching)
    try {
      const next = await watchClient.setPaused(folder.id, !watching)
      if (next) onChanged(next)
    } finally {
      setWanted(null)
    }
  }
  const remove = async (): Promise<void> => {
    const ok = await confirmDialog({ title: t('watch.removeTitle'), body: t('watch.removeBody', { path: folder.path }), confirmLabel: t('watch.remove'), danger: true, testId: 'watch-remove-dialog' })
    if (!ok) return
    const next = await watchClient.remove(folder.id)
    if (next) {
      onChanged(next)
      toastSuccess(t('watch.removed', { path: folder.path }))
    }
  }
  const c = folder.counts
  return (
    <article className={`watch-card is-${folder.state}`} data-testid="watch-folder" data-state={folder.state} data-path={folder.path}>
      <header className="watch-card-head">
        <Icon name="folder" />
        <div className="watch-card-title">
          <span className="mono selectable watch-path" title={folder.path}>
            {folder.path}
          </span>
          <RecipeLine recipe={folder.recipe} />
        </div>
        <span className={`watch-state watch-state-${folder.state}`} data-testid="watch-state">
          <Icon name={STATE_ICON[folder.state]} size={13} />
          {t(`watch.state.${folder.state}` as MessageKey)}
        </span>
        <label className="switch" title={t('watch.toggle')}>
          <input type="checkbox" checked={wanted ?? !folder.paused} disabled={wanted !== null} onChange={(e) => void toggle(e.target.checked)} data-testid="watch-toggle" />
          <span className="switch-track" aria-hidden="true" />
          <span className="sr-only">{t('watch.toggle')}</span>
        </label>
        <Button size="sm" variant="ghost" className="danger-hover" icon="trash" onClick={() => void remove()} data-testid="watch-remove">
          {t('watch.remove')}
        </Button>
      </header>
      {folder.problem ? (
        <p className="hint hint-warn watch-problem" data-testid="watch-problem">
          {engineText(lang, folder.problem.text, folder.problem.code, folder.problem.params)}
        </p>
      ) : null}
      <p className="watch-counts" data-testid="watch-counts">
        {t('watch.counts', { queued: formatNumber(c.queued, lang), duplicate: formatNumber(c.duplicate, lang), refused: formatNumber(c.refused, lang), skipped: formatNumber(c.skipped, lang) })}
      </p>
      {folder.files.length === 0 ? (
        <p className="hint">{t('watch.noFiles')}</p>
      ) : (
        <ul className="watch-files" aria-label={t('watch.filesTitle')} data-testid="watch-files">
          {folder.files.map((f) => (
            <FileRow key={f.name} file={f} />
          ))}
        </ul>
      )}
    </article>
  )
}

const OUTCOME_ICON: Record<WatchFileView['outcome'], IconName> = {
  settling: 'clock',
  checking: 'retry',
  waiting: 'clock',
  queued: 'send',
  duplicate: 'copy',
  refused: 'alert',
  skipped: 'pause'
}

/** Why a file was refused or waits, in the person's language. */
function reasonText(lang: Lang, f: WatchFileView): string {
  if (f.errors.length) return f.errors.map((e) => fieldErrorText(lang, e)).join(' ')
  return f.reason ? engineText(lang, f.reason.text, f.reason.code, f.reason.params) : ''
}

function outcomeText(t: TFunction, lang: Lang, f: WatchFileView): string {
  switch (f.outcome) {
    case 'duplicate':
      return t('watch.outcome.duplicate', { name: f.duplicateOf ?? '' })
    case 'refused':
    case 'waiting':
      return t(f.outcome === 'refused' ? 'watch.outcome.refused' : 'watch.outcome.waiting', { reason: reasonText(lang, f) })
    default:
      return t(`watch.outcome.${f.outcome}` as MessageKey)
  }
}

function FileRow({ file: f }: { file: WatchFileView }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const now = useNow()
  const job = useJobs((s) => (f.outcome === 'queued' && f.jobId ? s.byId.get(f.jobId) : undefined))
  return (
    <li className={`watch-file is-${f.outcome}`} data-testid="watch-file" data-name={f.name} data-outcome={f.outcome}>
      <Icon name={OUTCOME_ICON[f.outcome]} size={14} />
      <span className="watch-file-name" title={f.name}>
        {f.name}
      </span>
      <span className="watch-file-outcome">{outcomeText(t, lang, f)}</span>
      {f.outcome === 'queued' && f.jobId ? (
        <button type="button" className="watch-job link link-sm" onClick={() => navigate({ name: 'queue', focusId: f.jobId ?? undefined })} data-testid="watch-job">
          {job ? <StateBadge state={job.state} /> : t('watch.showJob')}
        </button>
      ) : (
        <span />
      )}
      <span className="watch-file-at muted">{formatAgo(f.at, now, lang)}</span>
    </li>
  )
}
