import { sql, type RawBuilder } from 'kysely'

export type DialectName = 'sqlite' | 'postgres'

/** The dialect-dependent SQL strategies, decided once when the database is connected. */
export interface SqlDialect {
  readonly name: DialectName
  /**
   * How substring search is answered: SQLite's FTS5 trigram table (terms of 3+ characters), or
   * ILIKE backed by pg_trgm GIN indexes on PostgreSQL.
   */
  readonly search: 'fts5-trigram' | 'ilike-trigram'
  /**
   * Whether the `post_rows` generation is kept (migration 0010), so that whole pages of posts can be cached:
   * on SQLite, whose writers take one lock anyway, not on PostgreSQL, where every like would queue on it.
   */
  readonly postRowsGeneration: boolean
  /** The case-insensitive LIKE operator (SQLite's LIKE already ignores ASCII case). */
  readonly likeOperator: RawBuilder<unknown>
  /** A column lower-cased for ordering, in code-point order on both dialects (never the server's locale). */
  lowerForOrdering(column: string): RawBuilder<unknown>
}

const SQLITE: SqlDialect = {
  name: 'sqlite',
  search: 'fts5-trigram',
  postRowsGeneration: true,
  likeOperator: sql`like`,
  lowerForOrdering: (column) => sql`lower(${sql.ref(column)})`,
}

const POSTGRES: SqlDialect = {
  name: 'postgres',
  search: 'ilike-trigram',
  postRowsGeneration: false,
  likeOperator: sql`ilike`,
  lowerForOrdering: (column) => sql`lower(${sql.ref(column)}) collate "C"`,
}

export function sqlDialectFor(name: DialectName): SqlDialect {
  return name === 'postgres' ? POSTGRES : SQLITE
}
