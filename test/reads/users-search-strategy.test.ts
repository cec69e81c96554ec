import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createUsers, uniqueName, useTestApp } from '../support/index.js'

// A filtered page walks the ordering's index when the matches are dense enough, and collects the matches from
// the trigram index when they are few: whichever way, the page must be the same.
const ctx = useTestApp()

describe('a search page of users', () => {
  it('is the page every match sorted would give, for a term most users have and for one a few have', async () => {
    const prefix = uniqueName('st').toLowerCase()
    // 300 users created one second apart: username, created_at and id orders differ from each other.
    const specs = Array.from({ length: 300 }, (_, index) => ({
      username: `${prefix}${String((index * 7) % 300).padStart(3, '0')}`,
      bio: [index % 2 === 0 ? 'strategymany' : '', index % 100 === 0 ? 'strategyfew' : ''].join(' '),
      created_at: new Date(Date.UTC(2024, 0, 1, 0, 0, 300 - index)).toISOString(),
    }))
    const users = await createUsers(ctx.db, specs)
    const rows = users.map((user, index) => ({ ...user, bio: specs[index]!.bio, created_at: specs[index]!.created_at }))
    for (const term of ['strategymany', 'strategyfew']) {
      const matches = rows.filter((row) => row.bio.includes(term))
      const orders: Record<string, string[]> = {
        username: matches.map((row) => row.username).sort(),
        '-username': matches
          .map((row) => row.username)
          .sort()
          .reverse(),
        created_at: [...matches].sort((a, b) => a.created_at.localeCompare(b.created_at)).map((row) => row.username),
        '-created_at': [...matches].sort((a, b) => b.created_at.localeCompare(a.created_at)).map((row) => row.username),
      }
      for (const [ordering, expected] of Object.entries(orders)) {
        for (const number of [0, 1, Math.ceil(expected.length / 10) - 1]) {
          const query = { search: term, ordering, batch_size: '10', batch_number: String(number) }
          const response = await ctx.app.inject({ method: 'GET', url: '/careers/users/', query })
          assert.equal(response.statusCode, 200, response.body)
          const body = response.json()
          assert.equal(body.batch_info.total_users, expected.length, JSON.stringify(query))
          assert.deepEqual(
            body.users.map((user: { username: string }) => user.username),
            expected.slice(number * 10, number * 10 + 10),
            JSON.stringify(query),
          )
        }
      }
    }
  })
})
