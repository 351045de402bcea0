// The renderer's one doorway to src/shared: types, the contract and the same validation the engine runs.
export type {
  AppInfo,
  CatalogReply,
  CancelReply,
  CreateJobsReply,
  DragRef,
  EventChannel,
  EventOf,
  ImageCard,
  InspectReply,
  InvokeChannel,
  JobsChanged,
  JobsPage,
  MoveLibraryReply,
  RejectedFile,
  ReplyOf,
  RequestOf,
  StudioApi,
  WireError,
  ValidateReply
} from '../../shared/ipc/contract'
export type { EngineStatus, GenerationMode, JobDetails, JobError, JobSpec, JobState, JobTimelineEntry, JobView, ProviderFamily } from '../../shared/jobs'
export { failedByProvider } from '../../shared/jobs'
export type { AppNavigation, QueueNavFilter } from '../../shared/navigation'
export * from '../../shared/jobStates'
export type { KeyProfile, KeyStatus, KeyStorage, KeyTestResult } from '../../shared/keys'
export { DEFAULT_KEY_ID, KEY_LABEL_MAX, keyLabelProblem } from '../../shared/keys'
export type { LibraryItem, LibraryPage, LibraryQuery, LibrarySort } from '../../shared/library'
export { LIBRARY_SORTS } from '../../shared/library'
export { POSTER_MAX_BYTES, POSTER_MAX_WIDTH, posterSize, posterTime } from '../../shared/posters'
export type { CatalogModel, ChoiceRule, FieldError, ImageInfo, ModelRules, RangeRule } from '../../shared/modelTypes'
export type { LanguageSetting, RememberedFields, Settings, ThemeSetting } from '../../shared/settings'
export type { RestartMode, RestartReply, UpdateFailure, UpdatePhase, UpdateProgress, UpdateState } from '../../shared/updates'
export { DEFAULT_ENGINE_SETTINGS, REMEMBERED_MODELS_MAX, SETTINGS_LIMITS } from '../../shared/settings'
export type { ManualProxyType, ProxyMode, ProxyProblem, ProxySettings, ProxyStatus } from '../../shared/proxy'
export { MANUAL_PROXY_TYPES, proxyProblems } from '../../shared/proxy'
export type { KeySpend, SpendSummary, ModelSpend } from '../../shared/spend'
export { applyDefaults, estimateCost, fieldsOf, promptRequired, validateSpec } from '../../shared/validation'
export type { WatchAddReply, WatchExisting, WatchFileView, WatchFolderState, WatchFolderView, WatchInspection, WatchOutcome, WatchReason, WatchRecipe } from '../../shared/watch'
export { FILE_PLACEHOLDER, promptForFile } from '../../shared/watch'
export { english, fill } from '../../shared/messages'
export { currencyCode, formatMoney, moneyParams } from '../../shared/money'
export type { FixTarget } from '../../shared/imageFix'
export { fixTarget, parseWxH, sizeForImage } from '../../shared/imageFix'
