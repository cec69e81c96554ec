import { sql, type RawBuilder } from 'kysely'

/**
 * An integer argument compared to an indexed column, bound so that SQLite does not plan the statement around
 * its value. Once ANALYZE has written sqlite_stat4 (`npm run seed` does), a plain bound value there makes
 * SQLite plan the statement again on every run, for that value: 5–10 µs each time, a tenth of an
 * authenticated page of users or a page of comments. The plan is the same (the column's index is used);
 * PostgreSQL reads it as the integer it is.
 */
export function stableInteger(value: number): RawBuilder<number> {
  return sql<number>`cast(${value} as integer)`
}
