import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, PASSWORD, register, type Account, type TestApp } from '../helper.js'
import { assertCountersMatchRows, getPost, newPost, stats } from './posts.helpers.js'

// Real concurrency: the app listens on a socket and every burst is fired at once with fetch.
let testApp: TestApp
let baseUrl: string

before(async () => {
  testApp = await buildTestApp()
  await testApp.app.listen({ port: 0, host: '127.0.0.1' })
  baseUrl = `http://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`
})
after(async () => testApp.close())

async function send(method: string, path: string, who: Account, body?: unknown): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { authorization: who.auth.authorization }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, text: await response.text() }
}

function tally(answers: { status: number; text: string }[], allowed: number[]): Record<number, number> {
  const byStatus: Record<number, number> = {}
  for (const answer of answers) {
    assert.ok(allowed.includes(answer.status), `unexpected ${answer.status}: ${answer.text}`)
    byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1
  }
  return byStatus
}

const users = (n: number): Promise<Account[]> => Promise.all(Array.from({ length: n }, () => register(testApp.app)))

describe('races', () => {
  it('20 parallel likes by one user: one 201, nineteen 200, likes_count 1', async () => {
    const [author, fan] = await users(2)
    const post = await newPost(testApp.app, author!)
    const answers = await Promise.all(Array.from({ length: 20 }, () => send('POST', `/careers/${post.id}/like/`, fan!)))
    assert.deepEqual(tally(answers, [200, 201]), { 200: 19, 201: 1 })
    assert.equal((await getPost(testApp.app, post.id)).likes_count, 1)
    assert.equal((await stats(testApp.app, author!)).likes_received, 1)
  })

  it('parallel likes and shares by many users, parallel comments: exact counts', async () => {
    const [author, ...fans] = await users(13)
    const post = await newPost(testApp.app, author!)
    const answers = await Promise.all([
      ...fans.map((fan) => send('POST', `/careers/${post.id}/like/`, fan)),
      ...fans.map((fan) => send('POST', `/careers/${post.id}/share/`, fan)),
      ...fans.map((fan) => send('POST', `/careers/${post.id}/comment/`, fan, { content: 'hello' })),
      ...fans.map((fan) => send('POST', `/careers/${post.id}/comment/`, fan, { content: 'again' })),
    ])
    assert.deepEqual(tally(answers, [201]), { 201: 48 })
    const after = await getPost(testApp.app, post.id)
    assert.deepEqual([after.likes_count, after.shares_count, after.comments_count], [12, 12, 24])
    const authorStats = await stats(testApp.app, author!)
    assert.deepEqual([authorStats.likes_received, authorStats.comments_received], [12, 24])
    await assertCountersMatchRows(testApp.db)
  })

  it('like/unlike storm: never a 5xx, counts equal rows', async () => {
    const [author, ...fans] = await users(5)
    const post = await newPost(testApp.app, author!)
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? send('POST', `/careers/${post.id}/like/`, fans[i % 4]!)
          : send('DELETE', `/careers/${post.id}/unlike/`, fans[i % 4]!),
      ),
    )
    tally(answers, [200, 201, 204, 400])
    await assertCountersMatchRows(testApp.db)
  })

  it('deleting a post while it is liked, commented and shared: never a 5xx, counts exact', async () => {
    const [author, ...fans] = await users(9)
    const post = await newPost(testApp.app, author!)
    const keep = await newPost(testApp.app, author!)
    await send('POST', `/careers/${post.id}/like/`, fans[0]!)
    const answers = await Promise.all([
      ...fans.map((fan) => send('POST', `/careers/${post.id}/like/`, fan)),
      ...fans.map((fan) => send('POST', `/careers/${post.id}/comment/`, fan, { content: 'x' })),
      ...fans.map((fan) => send('POST', `/careers/${post.id}/share/`, fan)),
      ...fans.map((fan) => send('POST', `/careers/${post.id}/share-post/`, fan, { title: 't', content: 'c' })),
      ...fans.map((fan) => send('POST', `/careers/${keep.id}/like/`, fan)),
      send('DELETE', `/careers/${post.id}/`, author!),
      send('DELETE', `/careers/${post.id}/`, author!),
    ])
    tally(answers, [200, 201, 204, 404])
    const authorStats = await stats(testApp.app, author!)
    assert.deepEqual([authorStats.posts_count, authorStats.likes_received, authorStats.comments_received], [1, 8, 0])
    await assertCountersMatchRows(testApp.db)
  })

  it("comments racing their post's deletion: each 201 with the comment, or 404 (never a 500)", async () => {
    const [author, ...fans] = await users(7)
    for (let round = 0; round < 15; round++) {
      const post = await newPost(testApp.app, author!)
      const answers = await Promise.all([
        ...fans.flatMap((fan) => [1, 2].map(() => send('POST', `/careers/${post.id}/comment/`, fan, { content: 'r' }))),
        send('DELETE', `/careers/${post.id}/`, author!),
      ])
      tally(answers, [201, 204, 404])
      for (const answer of answers.filter((a) => a.status === 201)) assert.equal(JSON.parse(answer.text).post, post.id)
    }
    assert.equal((await stats(testApp.app, author!)).comments_received, 0)
    await assertCountersMatchRows(testApp.db)
  })

  it('an account deleted while it edits its profile and deletes itself again: 200, 204 or 401 (never 400 or 500)', async () => {
    for (let round = 0; round < 10; round++) {
      const [who] = await users(1)
      const answers = await Promise.all([
        send('DELETE', '/careers/users/me/', who!, { password: PASSWORD }),
        send('DELETE', '/careers/users/me/', who!, { password: PASSWORD }),
        ...[1, 2, 3, 4].map((n) => send('PATCH', '/careers/users/me/update/', who!, { bio: `edit ${n}` })),
      ])
      tally(answers, [200, 204, 401])
      assert.ok(answers.slice(0, 2).some((answer) => answer.status === 204))
    }
  })

  it('parallel comment deletions by both permitted users: one 204, the rest 404', async () => {
    const [author, fan] = await users(2)
    const post = await newPost(testApp.app, author!)
    const comment = JSON.parse((await send('POST', `/careers/${post.id}/comment/`, fan!, { content: 'x' })).text) as {
      id: number
    }
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send('DELETE', `/careers/${post.id}/comments/${comment.id}/`, i % 2 ? author! : fan!)),
    )
    assert.deepEqual(tally(answers, [204, 404]), { 204: 1, 404: 9 })
    assert.equal((await getPost(testApp.app, post.id)).comments_count, 0)
    await assertCountersMatchRows(testApp.db)
  })
})
