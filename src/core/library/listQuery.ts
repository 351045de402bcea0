// Plans the SQL for Library.list. Filters, search and sort all run in SQLite:
// - the page is chosen by a query that selects only `seq`, answered from the covering facet
//   indexes of schema.ts without touching the wide rows; the page's rows are read afterwards;
// - sorted by prompt or size, it walks that sort's (covering) index and checks the filters
//   on the way, instead of sorting every row the filters let through;
// - each search or tag condition is a set of rowids whose size is counted first (cheap on
//   FTS and the tag table): a small set is looked up row by row, a large one is probed while
//   walking the sort index (`+seq` stops SQLite from driving the query from the set).
import type { LibraryQuery, LibrarySort } from '../../shared/library'
import { ftsQuery } from './search'

export const DEFAULT_PAGE = 100
export const MAX_PAGE = 1000
/** Sets up to this size are read row by row; larger ones are probed during the index walk. */
export const SMALL_SET = 2000
const MAX_IN = 100

const ORDER: Record<LibrarySort, string> = {
  newest: 'completed_at DESC, seq DESC',
  oldest: 'completed_at ASC, seq ASC',
  prompt: 'prompt_key ASC, seq ASC',
  model: 'model ASC, completed_at DESC, seq DESC',
  size: 'bytes DESC, seq DESC'
}

export interface RowidSet {
  /** `SELECT <rowid> FROM … WHERE … = ?` */
  select: string
  /** `SELECT count(*) AS n FROM … WHERE … = ?` */
  count: string
  arg: string
}

export interface ListPlan {
  /** Column conditions, each starting with its column name. */
  filters: string[]
  args: (string | number)[]
  sets: RowidSet[]
  order: string
  /**
   * The prompt and size indexes carry every filter column: walking them in order beats
   * collecting the filter's rows and sorting them, so the filter columns are kept off
   * their own indexes (`+column`). Date sorts are served well by the filter indexes.
   */
  walkSortIndex: boolean
  limit: number
  offset: number
}

/** Null when the query can match nothing (e.g. an empty model list or nothing searchable). */
export function planList(q: LibraryQuery): ListPlan | null {
  const filters: string[] = []
  const args: (string | number)[] = []
  const sets: RowidSet[] = []

  const anyOf = (column: string, values: string[] | undefined): boolean => {
    if (values === undefined) return true
    const list = [...new Set(values)].slice(0, MAX_IN)
    if (list.length === 0) return false
    filters.push(list.length === 1 ? `${column} = ?` : `${column} IN (${list.map(() => '?').join(', ')})`)
    args.push(...list)
    return true
  }
  if (!anyOf('model', q.model) || !anyOf('provider', q.provider) || !anyOf('vendor', q.vendor)) return null

  if (q.from !== undefined) {
    filters.push('completed_at >= ?')
    args.push(q.from)
  }
  if (q.to !== undefined) {
    filters.push('completed_at < ?')
    args.push(q.to)
  }
  if (q.jobIds !== undefined) {
    // Any number of jobs in one parameter (a batch may hold thousands).
    if (q.jobIds.length === 0) return null
    filters.push('job_id IN (SELECT value FROM json_each(?))')
    args.push(JSON.stringify(q.jobIds))
  }
  if (q.favorite !== undefined) {
    filters.push('favorite = ?')
    args.push(q.favorite ? 1 : 0)
  }
  for (const tag of new Set((q.tags ?? []).map((t) => t.trim()).filter(Boolean))) {
    sets.push({
      select: 'SELECT item_seq FROM library_tags WHERE tag = ?',
      count: 'SELECT count(*) AS n FROM library_tags WHERE tag = ?',
      arg: tag
    })
  }
  if (q.search !== undefined && q.search.trim() !== '') {
    const match = ftsQuery(q.search)
    if (match === null) return null
    sets.push({
      select: 'SELECT rowid FROM library_fts WHERE library_fts MATCH ?',
      count: 'SELECT count(*) AS n FROM library_fts WHERE library_fts MATCH ?',
      arg: match
    })
  }

  return {
    filters,
    args,
    sets,
    order: ORDER[q.sort ?? 'newest'] ?? ORDER.newest,
    walkSortIndex: q.sort === 'prompt' || q.sort === 'size',
    limit: Math.max(1, Math.min(MAX_PAGE, Math.floor(q.limit ?? DEFAULT_PAGE))),
    offset: Math.max(0, Math.floor(q.offset ?? 0))
  }
}

export interface ListSql {
  /** Null when the total is already known (`knownTotal`). */
  countSql: string | null
  knownTotal: number | null
  /** Selects `seq` of the page; takes `args`, then LIMIT and OFFSET. */
  pageSql: string
  args: (string | number)[]
}

/** The final SQL once the size of each rowid set is known. */
export function listSql(plan: ListPlan, setSizes: number[]): ListSql {
  const sets: string[] = []
  const setArgs: string[] = []
  plan.sets.forEach((set, i) => {
    sets.push(`${setSizes[i] <= SMALL_SET ? '' : '+'}seq IN (${set.select})`)
    setArgs.push(set.arg)
  })
  const where = (filters: string[]): string => {
    const all = [...filters, ...sets]
    return all.length ? ` WHERE ${all.join(' AND ')}` : ''
  }
  // Counting has no order: there the filter indexes are the fastest way in.
  const countWhere = where(plan.filters)
  const pageWhere = where(plan.walkSortIndex ? plan.filters.map((f) => `+${f}`) : plan.filters)
  const onlyOneSet = plan.filters.length === 0 && plan.sets.length === 1
  return {
    countSql: onlyOneSet ? null : `SELECT count(*) AS n FROM library_items${countWhere}`,
    knownTotal: onlyOneSet ? setSizes[0] : null,
    pageSql: `SELECT seq FROM library_items${pageWhere} ORDER BY ${plan.order} LIMIT ? OFFSET ?`,
    args: [...plan.args, ...setArgs]
  }
}
