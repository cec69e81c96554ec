import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sql } from 'kysely'
import { register, uniqueName, useTestApp } from '../helper.js'

const ctx = useTestApp()

interface Row {
  id: number
  username: string
  first_name: string
  last_name: string
  created_at: string
}

const FIELDS = ['username', 'created_at', 'first_name', 'last_name'] as const

/** The contract's order: the field case-insensitively (code-point order), ties by ascending id in both directions. */
function expected(rows: Row[], field: (typeof FIELDS)[number], descending: boolean): number[] {
  const key = (row: Row) => (field === 'created_at' ? row.created_at : row[field].toLowerCase())
  return [...rows]
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)]
      const byField = x < y ? -1 : x > y ? 1 : 0
      return (descending ? -byField : byField) || a.id - b.id
    })
    .map((row) => row.id)
}

describe('ordering of the users list, with and without filters, in pages', () => {
  it('follows every ordering with ties by id, whichever way the page is read', async () => {
    const tag = uniqueName('Ord').toLowerCase()
    const names = [
      ['bob', 'Smith'],
      ['Bob', 'smith'],
      ['alice', 'Zed'],
      ['BOB', 'adams'],
      ['', ''],
      ['carol', 'Smith'],
      ['alice', 'zed'],
    ]
    for (const [i, [first, last]] of names.entries()) {
      await register(ctx.app, {
        username: `${i % 2 ? 'Z' : 'a'}${tag}${i}`,
        first_name: first!,
        last_name: last!,
        bio: `common ${tag}`,
      })
    }
    // Two pairs of equal creation times: ties broken by id there too.
    const { rows: ids } = await sql<{ id: number }>`select id from users order by id`.execute(ctx.db)
    const same = '2024-01-01T00:00:00.000Z'
    await ctx.db.updateTable('users').set({ created_at: same }).where('id', 'in', [ids[1]!.id, ids[4]!.id]).execute()
    const rows = (await ctx.db
      .selectFrom('users')
      .select(['id', 'username', 'first_name', 'last_name', 'created_at'])
      .execute()) as Row[]

    // No filter, a search every user matches (walks the ordering's index) and one only a few match (sorts them).
    const rare = rows.filter((row) => row.first_name.toLowerCase() === 'alice')
    const cases: Array<[Record<string, string>, Row[]]> = [
      [{}, rows],
      [{ search: 'common' }, rows],
      [{ search: 'alice' }, rare],
    ]
    for (const [filter, subset] of cases) {
      for (const field of FIELDS) {
        for (const descending of [false, true]) {
          const ordering = `${descending ? '-' : ''}${field}`
          const want = expected(subset, field, descending)
          const whole = await ctx.app.inject({
            method: 'GET',
            url: '/careers/users/',
            query: { ...filter, ordering, batch_size: '100' },
          })
          assert.deepEqual(
            whole.json().users.map((u: { id: number }) => u.id),
            want,
            `${JSON.stringify(filter)} ${ordering}`,
          )
          const paged: number[] = []
          for (let batch = 0; batch * 2 < want.length + 2; batch++) {
            const query = { ...filter, ordering, batch_size: '2', batch_number: String(batch) }
            const page = (await ctx.app.inject({ method: 'GET', url: '/careers/users/', query })).json()
            assert.equal(page.batch_info.total_users, want.length)
            paged.push(...page.users.map((u: { id: number }) => u.id))
          }
          assert.deepEqual(paged, want, `paged ${JSON.stringify(filter)} ${ordering}`)
        }
      }
    }
  })
})
