import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { family, listUsers, register, uniqueName, useTestApp } from '../support/index.js'

const ctx = useTestApp()

describe('GET /careers/users/', () => {
  it('searches username, first_name, last_name and bio, case-insensitively, by substring', async () => {
    const tag = uniqueName('Zq').toLowerCase()
    const byUsername = await register(ctx.app, { username: `${tag}name` })
    const byFirst = await register(ctx.app, { first_name: `First${tag.toUpperCase()}x` })
    const byLast = await register(ctx.app, { last_name: `y${tag}` })
    const byBio = await register(ctx.app, { bio: `I like ${tag.toUpperCase()} a lot` })
    await register(ctx.app, { bio: 'unrelated' })
    const response = await listUsers(ctx.app, { search: tag.toUpperCase(), batch_size: '100' })
    const ids = response
      .json()
      .users.map((user: { id: number }) => user.id)
      .sort((a: number, b: number) => a - b)
    assert.deepEqual(
      ids,
      [byUsername.id, byFirst.id, byLast.id, byBio.id].sort((a, b) => a - b),
    )
    assert.equal(response.json().batch_info.total_users, 4)
  })

  it('finds a match in the middle of a word, for long and for 1–2 character terms', async () => {
    const tag = uniqueName('Mid')
    const account = await register(ctx.app, { first_name: 'Q', bio: `abc${tag}xyz` })
    for (const term of [tag.slice(2, 9), tag]) {
      const ids = (await listUsers(ctx.app, { search: term, batch_size: '100' })).json().users.map((u: { id: number }) => u.id)
      assert.ok(ids.includes(account.id), term)
    }
    const lastName = uniqueName('Short')
    const short = await register(ctx.app, { last_name: lastName, first_name: 'Qj' })
    const found = (await listUsers(ctx.app, { last_name: lastName, first_name: 'qj' }))
      .json()
      .users.map((u: { id: number }) => u.id)
    assert.deepEqual(found, [short.id])
  })

  it('matches %, _ and \\ literally', async () => {
    const tag = uniqueName('Lit')
    const percent = await register(ctx.app, { bio: `${tag} 100% sure` })
    const underscore = await register(ctx.app, { bio: `${tag} snake_case` })
    const backslash = await register(ctx.app, { bio: `${tag} C:\\dir` })
    await register(ctx.app, { bio: `${tag} 1000 sure snakeXcase C:dir` })
    const only = async (term: string) =>
      (await listUsers(ctx.app, { search: term, batch_size: '100' })).json().users.map((u: { id: number }) => u.id)
    assert.deepEqual(await only('0% s'), [percent.id])
    assert.deepEqual(await only('%'), [percent.id])
    assert.deepEqual(await only('e_c'), [underscore.id])
    assert.deepEqual(await only('_'), [underscore.id])
    assert.deepEqual(await only(':\\d'), [backslash.id])
    assert.deepEqual(await only('"'), [])
  })

  it('combines first_name and last_name filters with AND', async () => {
    const { lastName, accounts } = await family(ctx.app, [
      { first_name: 'Annabel' },
      { first_name: 'Bella' },
      { first_name: 'Chris' },
    ])
    const users = (await listUsers(ctx.app, { last_name: lastName.toLowerCase(), first_name: 'BEL' })).json().users
    assert.deepEqual(
      users.map((u: { id: number }) => u.id),
      [accounts[0]!.id, accounts[1]!.id],
    )
  })
})
