import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useId, useMemo, useRef, useState, type ReactElement } from 'react'
import { Button } from '../../components/Button'
import { EmptyState, Loading } from '../../components/Feedback'
import { Icon } from '../../components/Icon'
import { Modal } from '../../components/Modal'
import { ScreenHeader } from '../../components/ScreenHeader'
import { rejectedText, useLang, useT } from '../../i18n'
import { CROP_POSITIONS } from '../../lib/crop'
import { currencyCode, formatMoney, formatNumber, formatSize } from '../../lib/format'
import { columnsFor, useWidth } from '../../lib/useWidth'
import { useApp } from '../../store/app'
import { useBatch } from '../../store/batch'
import { batchCounts, fixableCards, planBatch, planIssues, sizePerImage, sizesOf, type BatchPlan } from '../../store/batchModel'
import { toastError } from '../../store/toasts'
import { Chips, ChoiceField, Field, SecondsField } from '../common/Fields'
import { HeldNotice, heldFrom, type HeldInfo } from '../common/HeldNotice'
import { ModelPicker } from '../common/ModelPicker'
import { createJobs } from '../common/submit'
import { addFilesToBatch, changeBatchModel, defaultBatchModel } from './batchActions'
import { BATCH_CARD_HEIGHT, BatchCard, fixBatchCard } from './BatchCard'
import './batch.css'
import { KeyPicker } from '../common/KeyPicker'

const CARD_MIN = 200
const GAP = 12

export function BatchScreen(): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const cards = useBatch((s) => s.cards)
  const inspecting = useBatch((s) => s.inspecting)
  const rejected = useBatch((s) => s.rejected)
  const modelId = useBatch((s) => s.model)
  const models = useApp((s) => s.catalog.models)
  const model = models.find((m) => m.id === modelId)
  const fileRef = useRef<HTMLInputElement>(null)
  const folderRef = useRef<HTMLInputElement>(null)
  const [held, setHeld] = useState<HeldInfo | null>(null)

  useEffect(() => {
    if (!modelId && models.length > 0) {
      const first = defaultBatchModel()
      if (first) useBatch.getState().setModel(first)
    }
  }, [modelId, models])

  const pickers = (
    <>
      <input
        ref={fileRef}
        type="file"
        hidden
        multiple
        accept="image/*"
        data-testid="batch-file-input"
        onChange={(e) => {
          const files = e.target.files ? [...e.target.files] : []
          e.target.value = ''
          void addFilesToBatch(files)
        }}
      />
      <input
        ref={folderRef}
        type="file"
        hidden
        multiple
        {...{ webkitdirectory: '' }}
        onChange={(e) => {
          const files = e.target.files ? [...e.target.files] : []
          e.target.value = ''
          void addFilesToBatch(files)
        }}
      />
    </>
  )

  return (
    <div className="screen screen-batch" data-testid="batch-screen">
      <ScreenHeader title={t('batch.title')} subtitle={t('batch.subtitle')}>
        <Button icon="image" onClick={() => fileRef.current?.click()} data-testid="batch-add-files">
          {t('batch.addImages')}
        </Button>
        <Button icon="folder" onClick={() => folderRef.current?.click()}>
          {t('batch.addFolder')}
        </Button>
        {cards.length > 0 ? (
          <Button variant="ghost" icon="trash" onClick={() => useBatch.getState().clear()} data-testid="batch-clear">
            {t('batch.clear')}
          </Button>
        ) : null}
      </ScreenHeader>
      {pickers}
      {held ? (
        <div className="screen-notice">
          <HeldNotice held={held} onDone={() => setHeld(null)} />
        </div>
      ) : null}
      {cards.length === 0 && inspecting > 0 ? (
        <Loading label={t('batch.inspecting', { count: formatNumber(inspecting, lang) })} />
      ) : cards.length === 0 ? (
        <>
          <EmptyState icon="batch" title={t('batch.emptyTitle')} body={t('batch.emptyBody')} testId="batch-empty">
            <Button variant="primary" icon="image" onClick={() => fileRef.current?.click()}>
              {t('batch.addImages')}
            </Button>
            <Button icon="folder" onClick={() => folderRef.current?.click()}>
              {t('batch.addFolder')}
            </Button>
          </EmptyState>
          {rejected.length > 0 ? <RejectedList /> : null}
        </>
      ) : (
        <div className="batch-layout">
          <BatchSettingsPanel
            onCreated={(h) => {
              setHeld(h)
            }}
          />
          <div className="batch-main">
            {inspecting > 0 ? (
              <div className="inline-status" role="status">
                <span className="spinner" aria-hidden="true" /> {t('batch.inspecting', { count: formatNumber(inspecting, lang) })}
              </div>
            ) : null}
            {model ? null : <p className="hint">{t('batch.chooseModel')}</p>}
            <BatchGrid />
            {rejected.length > 0 ? <RejectedList /> : null}
          </div>
        </div>
      )}
    </div>
  )
}

function RejectedList(): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const rejected = useBatch((s) => s.rejected)
  return (
    <details className="rejected" data-testid="batch-rejected">
      <summary>
        <Icon name="alert" size={14} /> {t('batch.rejected', { count: rejected.length })}
      </summary>
      <ul>
        {rejected.slice(0, 500).map((r) => (
          <li key={r.path}>
            <span className="rejected-name" title={r.path}>
              {r.name}
            </span>
            <span className="rejected-reason">{rejectedText(lang, r)}</span>
          </li>
        ))}
        {rejected.length > 500 ? <li className="muted">{t('batch.andMore', { count: rejected.length - 500 })}</li> : null}
      </ul>
    </details>
  )
}

function BatchGrid(): ReactElement {
  const cards = useBatch((s) => s.cards)
  const scrollRef = useRef<HTMLDivElement>(null)
  const width = useWidth(scrollRef)
  const cols = columnsFor(width - 4, CARD_MIN, GAP)
  const rows = Math.ceil(cards.length / cols)
  const rowH = BATCH_CARD_HEIGHT + GAP
  const virtualizer = useVirtualizer({ count: rows, getScrollElement: () => scrollRef.current, estimateSize: () => rowH, overscan: 3 })
  return (
    <div className="virtual-scroll batch-scroll" ref={scrollRef} data-testid="batch-grid">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => (
          <div key={row.key} className="lib-row" style={{ transform: `translateY(${row.start}px)`, height: BATCH_CARD_HEIGHT, gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gap: GAP }}>
            {cards.slice(row.index * cols, row.index * cols + cols).map((card) => (
              <BatchCard key={card.path} card={card} />
            ))}
          </div>
        ))}
      </div>
    </div>
  )
}

function BatchSettingsPanel({ onCreated }: { onCreated: (held: HeldInfo | null) => void }): ReactElement {
  const t = useT()
  const lang = useLang((s) => s.lang)
  const state = useBatch()
  const models = useApp((s) => s.catalog.models)
  const model = models.find((m) => m.id === state.model)
  const counts = useMemo(() => batchCounts(state, model), [state, model])
  const plan = useMemo(() => (model ? planBatch(state, model) : null), [state, model])
  const issues = useMemo(() => (plan && model ? planIssues(plan, model) : []), [plan, model])
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const sharedId = useId()
  const rules = model?.rules
  const currency = currencyCode(model?.pricing.currency)
  const fixable = useMemo(() => fixableCards(state, model), [state, model])
  const perImage = model ? sizePerImage(model) : false
  const [fixingAll, setFixingAll] = useState(false)
  const fixAll = async (): Promise<void> => {
    setFixingAll(true)
    const todo = [...fixable]
    const position = useBatch.getState().cropPosition
    // Two at a time: decoding big photos is heavy, and the window must stay responsive.
    const worker = async (): Promise<void> => {
      for (let next = todo.shift(); next; next = todo.shift()) await fixBatchCard(next.card, next.fix, position, t)
    }
    await Promise.all([worker(), worker()])
    setFixingAll(false)
  }

  const create = async (p: BatchPlan): Promise<void> => {
    setBusy(true)
    try {
      const reply = await createJobs(p.specs)
      if (!reply) return
      setConfirming(false)
      if (!reply.ok) {
        const errors: Record<string, typeof reply.errors[number]['errors']> = {}
        for (const e of reply.errors) {
          const card = p.cards[e.index]
          if (card) errors[card.path] = e.errors
        }
        useBatch.getState().setCreateErrors(errors)
        // All or nothing: say so, never close the dialog in silence.
        toastError(t('batch.notSent', { count: Math.max(1, Object.keys(errors).length) }))
        return
      }
      // The created cards leave the batch; duplicates and problem cards stay for a decision.
      const created = new Set(p.cards.map((c) => c.path))
      for (const path of created) useBatch.getState().remove(path)
      onCreated(heldFrom(reply))
    } finally {
      setBusy(false)
    }
  }

  return (
    <aside className="batch-side">
      <Field label={t('field.model')}>
        <ModelPicker value={state.model} requireMode="image-to-video" onChange={(m) => void changeBatchModel(m.id)} testId="batch-model-picker" />
      </Field>
      <Field label={t('batch.sharedPrompt')} htmlFor={sharedId} hint={t('batch.sharedHint')} errors={issues}>
        <textarea id={sharedId} className="textarea" rows={4} value={state.sharedPrompt} placeholder={t('compose.promptPlaceholder')} onChange={(e) => state.setShared(e.target.value)} data-testid="batch-shared-prompt" />
      </Field>
      {rules?.seconds ? <SecondsField rule={rules.seconds} value={state.settings.seconds} onChange={(v) => state.setSettings({ seconds: v })} errors={[]} /> : null}
      {rules?.size ? (
        <ChoiceField
          label={t('field.size')}
          rule={rules.size}
          value={state.settings.size}
          onChange={(v) => state.setSettings({ size: v })}
          errors={[]}
          testId="batch-size"
          formatValue={formatSize}
          emptyLabel={perImage ? t('batch.sizePerImage') : undefined}
          hint={perImage ? t('batch.sizePerImageHint') : undefined}
        />
      ) : null}
      {rules?.aspectRatio ? <ChoiceField label={t('field.aspectRatio')} rule={rules.aspectRatio} value={state.settings.aspectRatio} onChange={(v) => state.setSettings({ aspectRatio: v })} errors={[]} testId="batch-aspect" /> : null}
      {rules?.resolution ? <ChoiceField label={t('field.resolution')} rule={rules.resolution} value={state.settings.resolution} onChange={(v) => state.setSettings({ resolution: v })} errors={[]} testId="batch-resolution" /> : null}
      <div className="batch-summary" data-testid="batch-summary">
        <div className="batch-counts">
          <span className="count-pill count-ok">{t('batch.countReady', { count: counts.ready })}</span>
          {counts.duplicate > 0 ? <span className="count-pill count-muted">{t('batch.countDuplicates', { count: counts.duplicate })}</span> : null}
          {counts.problem > 0 ? <span className="count-pill count-warn">{t('batch.countProblems', { count: counts.problem })}</span> : null}
        </div>
        <div className="estimate">
          <span className="estimate-label">{t('batch.total')}</span>
          <span className="estimate-value" data-testid="batch-total">
            {plan ? formatMoney(plan.total, lang, currency) : '—'}
          </span>
          {plan && plan.unpriced > 0 ? <span className="estimate-detail">{t('batch.unpriced', { count: plan.unpriced })}</span> : null}
        </div>
        {fixable.length > 1 ? (
          <div className="batch-fix-all">
            <Field label={t('batch.cropPosition')}>
              <Chips
                label={t('batch.cropPosition')}
                values={CROP_POSITIONS}
                value={state.cropPosition}
                onChange={(v) => state.setCropPosition(v ?? 'center')}
                format={(v) => t(`batch.pos.any.${v}`)}
                testId="batch-crop-position"
              />
            </Field>
            <Button icon="crop" busy={fixingAll} onClick={() => void fixAll()} data-testid="batch-fix-all">
              {t('batch.fixAll', { count: fixable.length })}
            </Button>
          </div>
        ) : null}
        <KeyPicker />
        <Button variant="primary" className="btn-block" icon="send" disabled={!plan || plan.specs.length === 0 || issues.length > 0} onClick={() => setConfirming(true)} data-testid="batch-create">
          {t('batch.create', { count: plan?.specs.length ?? 0 })}
        </Button>
      </div>
      {confirming && plan && model ? (
        <Modal
          title={t('batch.confirmTitle', { count: plan.specs.length, amount: formatMoney(plan.total, lang, currency) })}
          onClose={() => setConfirming(false)}
          onSubmit={() => void create(plan)}
          testId="batch-confirm-dialog"
          footer={
            <>
              <Button onClick={() => setConfirming(false)}>{t('common.cancel')}</Button>
              <Button type="submit" variant="primary" busy={busy} autoFocus data-testid="batch-confirm">
                {t('batch.confirm', { count: plan.specs.length })}
              </Button>
            </>
          }
        >
          <ul className="confirm-list">
            <li>{t('batch.confirmModel', { model: model.name })}</li>
            <li>{t('batch.confirmEstimate', { amount: formatMoney(plan.total, lang, currency) })}</li>
            {sizesOf(plan).length > 0 ? <li data-testid="batch-confirm-sizes">{t('batch.confirmSizes', { sizes: sizesOf(plan).map((g) => `${formatNumber(g.count, lang)} × ${formatSize(g.size)}`).join(', ') })}</li> : null}
            {plan.unpriced > 0 ? <li>{t('batch.unpriced', { count: plan.unpriced })}</li> : null}
            {counts.duplicate > 0 ? <li>{t('batch.confirmSkipDup', { count: counts.duplicate })}</li> : null}
            {counts.problem > 0 ? <li>{t('batch.confirmSkipProblems', { count: counts.problem })}</li> : null}
          </ul>
          <p className="hint">{t('spend.estimateNote')}</p>
        </Modal>
      ) : null}
    </aside>
  )
}
