import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { setUserActive } from '../../src/modules/users/users.repository.js'
import { keys, register, uniqueName, useTestApp, type Account } from '../helper.js'

const ctx = useTestApp()
const USERS = '/careers/users'
const FOLLOW = `${USERS}/follow/`
const MY_FOLLOWING = `${USERS}/following/`
const STATS = `${USERS}/me/stats/`
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/
const FOLLOW_KEYS = ['created_at', 'follower', 'follower_username', 'following', 'following_username', 'id']
const SUMMARY_KEYS = ['avatar', 'first_name', 'id', 'is_following', 'last_name', 'username']
const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' }
const NOT_FOUND = { detail: 'Not found.' }

type Side = 'followers' | 'following'

function follow(who: Account, following: unknown): Promise<LightMyRequestResponse> {
  return ctx.app.inject({ method: 'POST', url: FOLLOW, headers: who.auth, payload: { following } })
}

function unfollow(who: Account, username: string): Promise<LightMyRequestResponse> {
  return ctx.app.inject({ method: 'DELETE', url: `${USERS}/${username}/unfollow/`, headers: who.auth })
}

function connections(username: string, side: Side, viewer?: Account, query = ''): Promise<LightMyRequestResponse> {
  return ctx.app.inject({ method: 'GET', url: `${USERS}/${username}/${side}/${query}`, headers: viewer?.auth ?? {} })
}

function myFollowing(who: Account, query = ''): Promise<LightMyRequestResponse> {
  return ctx.app.inject({ method: 'GET', url: `${MY_FOLLOWING}${query}`, headers: who.auth })
}

async function followOk(who: Account, target: Account): Promise<Record<string, unknown>> {
  const response = await follow(who, target.id)
  assert.equal(response.statusCode, 201, response.body)
  return response.json()
}

async function profileCounts(username: string): Promise<{ followers: number; following: number }> {
  const response = await ctx.app.inject({ method: 'GET', url: `${USERS}/${username}/` })
  assert.equal(response.statusCode, 200)
  const { followers_count, following_count } = response.json()
  return { followers: followers_count, following: following_count }
}

async function statsCounts(who: Account): Promise<{ followers: number; following: number }> {
  const response = await ctx.app.inject({ method: 'GET', url: STATS, headers: who.auth })
  assert.equal(response.statusCode, 200)
  const { followers_count, following_count } = response.json()
  return { followers: followers_count, following: following_count }
}

/** Both views of a user's counts (public profile and own stats) must agree; returns them. */
async function counts(who: Account): Promise<{ followers: number; following: number }> {
  const fromProfile = await profileCounts(who.username)
  assert.deepEqual(await statsCounts(who), fromProfile, 'profile and stats agree')
  return fromProfile
}

/** A username in another case than the one it was registered with. */
function otherCase(username: string): string {
  const swapped = [...username].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('')
  assert.notEqual(swapped, username)
  return swapped
}

function assertNoEmail(response: LightMyRequestResponse, ...accounts: Account[]): void {
  for (const account of accounts) assert.ok(!response.body.includes(account.email), `email ${account.email} leaked`)
  assert.ok(!response.body.includes('@example.com'), 'no email at all in the body')
  assert.ok(!/"email"/.test(response.body), 'no email key')
}

function assertFollowObject(value: Record<string, unknown>): void {
  assert.deepEqual(keys(value), FOLLOW_KEYS)
  for (const key of ['id', 'follower', 'following']) assert.ok(Number.isInteger(value[key]), `${key} is an integer`)
  assert.equal(typeof value.follower_username, 'string')
  assert.equal(typeof value.following_username, 'string')
  assert.match(String(value.created_at), ISO_UTC)
}

function assertFieldError(response: LightMyRequestResponse, field: string): void {
  assert.equal(response.statusCode, 400, response.body)
  const json = response.json()
  assert.deepEqual(keys(json), [field], response.body)
  assert.ok(Array.isArray(json[field]) && json[field].length > 0, response.body)
  for (const message of json[field]) assert.equal(typeof message, 'string')
}

describe('POST /careers/users/follow/', () => {
  it('answers 201 with exactly the seed follow object', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const started = Date.now()
    const response = await follow(alice, bob.id)
    assert.equal(response.statusCode, 201)
    assert.match(response.headers['content-type'] as string, /^application\/json; charset=utf-8$/)
    const json = response.json()
    assertFollowObject(json)
    assert.ok(json.id >= 1)
    assert.equal(json.follower, alice.id)
    assert.equal(json.following, bob.id)
    assert.equal(json.follower_username, alice.username)
    assert.equal(json.following_username, bob.username)
    const created = Date.parse(json.created_at)
    assert.ok(created >= started - 1000 && created <= Date.now() + 1000, 'created_at is now')
    assertNoEmail(response, alice, bob)
  })

  it('returns usernames as stored, and works without the trailing slash', async () => {
    const alice = await register(ctx.app, { username: uniqueName('MiXed') })
    const bob = await register(ctx.app, { username: uniqueName('CamelBob') })
    const response = await ctx.app.inject({ method: 'POST', url: `${USERS}/follow`, headers: alice.auth, payload: { following: bob.id } })
    assert.equal(response.statusCode, 201)
    assert.equal(response.json().follower_username, alice.username)
    assert.equal(response.json().following_username, bob.username)
  })

  it('needs a token (401, WWW-Authenticate) and creates nothing', async () => {
    const bob = await register(ctx.app)
    const response = await ctx.app.inject({ method: 'POST', url: FOLLOW, payload: { following: bob.id } })
    assert.equal(response.statusCode, 401)
    assert.deepEqual(response.json(), NOT_PROVIDED)
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
    const garbage = await ctx.app.inject({
      method: 'POST',
      url: FOLLOW,
      headers: { authorization: 'Bearer garbage' },
      payload: { following: bob.id },
    })
    assert.equal(garbage.statusCode, 401)
    assert.deepEqual(garbage.json(), { detail: 'Given token not valid for any token type', code: 'token_not_valid' })
    assert.deepEqual(await counts(bob), { followers: 0, following: 0 })
  })

  describe('refuses a bad `following` with a DRF field error, changing nothing', () => {
    let alice: Account
    let bob: Account
    before(async () => {
      alice = await register(ctx.app)
      bob = await register(ctx.app)
    })

    const cases: [string, (me: Account, other: Account) => Record<string, unknown>][] = [
      ['missing', () => ({})],
      ['a numeric string', (_me, other) => ({ following: String(other.id) })],
      ['a float', (_me, other) => ({ following: other.id + 0.5 })],
      ['2.5', () => ({ following: 2.5 })],
      ['a boolean', () => ({ following: true })],
      ['false', () => ({ following: false })],
      ['null', () => ({ following: null })],
      ['a list', (_me, other) => ({ following: [other.id] })],
      ['an object', (_me, other) => ({ following: { id: other.id } })],
      ['an id that does not exist', () => ({ following: 987_654 })],
      ['1e20', () => ({ following: 1e20 })],
      ['2**53', () => ({ following: 2 ** 53 })],
      ['2**31 (beyond a 32-bit id)', () => ({ following: 2 ** 31 })],
      ['0', () => ({ following: 0 })],
      ['negative', () => ({ following: -1 })],
      ['minus the id of a real user', (_me, other) => ({ following: -other.id })],
      ['yourself', (me) => ({ following: me.id })],
    ]
    for (const [label, body] of cases) {
      it(label, async () => {
        const response = await ctx.app.inject({ method: 'POST', url: FOLLOW, headers: alice.auth, payload: body(alice, bob) })
        assertFieldError(response, 'following')
        assert.deepEqual(await counts(alice), { followers: 0, following: 0 })
        assert.deepEqual(await counts(bob), { followers: 0, following: 0 })
      })
    }

    it('a number too large for a double (1e400) in the raw JSON', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: FOLLOW,
        headers: { ...alice.auth, 'content-type': 'application/json' },
        payload: '{"following": 1e400}',
      })
      assertFieldError(response, 'following')
    })

    it('a deactivated user', async () => {
      const gone = await register(ctx.app)
      await setUserActive(ctx.db, gone.id, false)
      assertFieldError(await follow(alice, gone.id), 'following')
      assert.deepEqual(await statsCounts(alice), { followers: 0, following: 0 })
    })
  })

  it('refuses a second follow of the same user, keeping the counts at 1', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(alice, bob)
    const again = await follow(alice, bob.id)
    assertFieldError(again, 'following')
    assert.deepEqual(await counts(alice), { followers: 0, following: 1 })
    assert.deepEqual(await counts(bob), { followers: 1, following: 0 })
    assert.equal((await connections(bob.username, 'followers')).json().count, 1)
  })

  it('refuses a body that is not a JSON object, and a non-JSON content type', async () => {
    const alice = await register(ctx.app)
    const list = await ctx.app.inject({
      method: 'POST',
      url: FOLLOW,
      headers: { ...alice.auth, 'content-type': 'application/json' },
      payload: '[1]',
    })
    assert.equal(list.statusCode, 400)
    assert.deepEqual(keys(list.json()), ['detail'])
    const text = await ctx.app.inject({
      method: 'POST',
      url: FOLLOW,
      headers: { ...alice.auth, 'content-type': 'text/plain' },
      payload: 'following=1',
    })
    assert.equal(text.statusCode, 415)
    assert.deepEqual(keys(text.json()), ['detail'])
  })
})

describe('follower and following counts', () => {
  it('move by exactly one on follow and back on unfollow, on the profile and on me/stats', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const carol = await register(ctx.app)
    // Some unrelated activity first, so that the counts are not all zero.
    await followOk(carol, alice)
    await followOk(bob, carol)
    const aliceBefore = await counts(alice)
    const bobBefore = await counts(bob)
    assert.deepEqual(aliceBefore, { followers: 1, following: 0 })
    assert.deepEqual(bobBefore, { followers: 0, following: 1 })

    await followOk(alice, bob)
    assert.deepEqual(await counts(alice), { followers: aliceBefore.followers, following: aliceBefore.following + 1 })
    assert.deepEqual(await counts(bob), { followers: bobBefore.followers + 1, following: bobBefore.following })

    const response = await unfollow(alice, bob.username)
    assert.equal(response.statusCode, 200)
    assert.deepEqual(await counts(alice), aliceBefore)
    assert.deepEqual(await counts(bob), bobBefore)
    assert.deepEqual(await counts(carol), { followers: 1, following: 1 })
  })

  it('a refused unfollow leaves the counts alone', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(bob, alice)
    assert.equal((await unfollow(alice, bob.username)).statusCode, 400)
    assert.deepEqual(await counts(alice), { followers: 1, following: 0 })
    assert.deepEqual(await counts(bob), { followers: 0, following: 1 })
  })
})

describe('DELETE /careers/users/{username}/unfollow/', () => {
  it('answers 200 with the username as stored, whatever the case in the path', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app, { username: uniqueName('BobCase') })
    await followOk(alice, bob)
    const response = await unfollow(alice, otherCase(bob.username))
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { message: `Stopped following ${bob.username}` })
    const followers = await connections(bob.username, 'followers')
    assert.deepEqual(followers.json(), { count: 0, results: [] })
  })

  it('works without the trailing slash', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(alice, bob)
    const response = await ctx.app.inject({ method: 'DELETE', url: `${USERS}/${bob.username}/unfollow`, headers: alice.auth })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { message: `Stopped following ${bob.username}` })
  })

  it('answers 400 {detail} when not following, including a second unfollow', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const never = await unfollow(alice, bob.username)
    assert.equal(never.statusCode, 400)
    assert.deepEqual(keys(never.json()), ['detail'])
    assert.equal(typeof never.json().detail, 'string')

    await followOk(alice, bob)
    assert.equal((await unfollow(alice, bob.username)).statusCode, 200)
    const twice = await unfollow(alice, bob.username)
    assert.equal(twice.statusCode, 400)
    assert.deepEqual(keys(twice.json()), ['detail'])
  })

  it('does not undo the reverse follow', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(bob, alice)
    assert.equal((await unfollow(alice, bob.username)).statusCode, 400)
    assert.equal((await connections(alice.username, 'followers')).json().count, 1)
  })

  it('answers 404 "Not found." for an unknown or malformed username', async () => {
    const alice = await register(ctx.app)
    for (const username of [uniqueName('ghost'), 'bad!name', 'x'.repeat(151)]) {
      const response = await unfollow(alice, username)
      assert.equal(response.statusCode, 404, username)
      assert.deepEqual(response.json(), NOT_FOUND)
    }
  })

  it('answers 404 for a deactivated user', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await setUserActive(ctx.db, bob.id, false)
    const response = await unfollow(alice, bob.username)
    assert.equal(response.statusCode, 404)
    assert.deepEqual(response.json(), NOT_FOUND)
  })

  it('needs a token', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(alice, bob)
    const response = await ctx.app.inject({ method: 'DELETE', url: `${USERS}/${bob.username}/unfollow/` })
    assert.equal(response.statusCode, 401)
    assert.deepEqual(response.json(), NOT_PROVIDED)
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
    assert.equal((await connections(bob.username, 'followers')).json().count, 1, 'still following')
  })

  it('lets the user follow again afterwards, with a new follow object', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const first = await followOk(alice, bob)
    assert.equal((await unfollow(alice, bob.username)).statusCode, 200)
    const second = await followOk(alice, bob)
    assert.notEqual(second.id, first.id)
    assert.deepEqual(await counts(bob), { followers: 1, following: 0 })
  })
})

describe('GET /careers/users/following/', () => {
  it('needs a token', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: MY_FOLLOWING })
    assert.equal(response.statusCode, 401)
    assert.deepEqual(response.json(), NOT_PROVIDED)
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
  })

  it('answers {count: 0, results: []} for someone who follows nobody', async () => {
    const alice = await register(ctx.app)
    const response = await myFollowing(alice)
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { count: 0, results: [] })
  })

  it('lists my follows as the very follow objects, newest first, and nobody else\'s', async () => {
    const alice = await register(ctx.app)
    const [bob, carol, dave] = [await register(ctx.app), await register(ctx.app), await register(ctx.app)]
    const made = [await followOk(alice, bob), await followOk(alice, carol), await followOk(alice, dave)]
    // Noise: follows by others, and follows of alice.
    await followOk(bob, carol)
    await followOk(dave, alice)

    const response = await myFollowing(alice)
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), ['count', 'results'])
    assert.equal(json.count, 3)
    for (const item of json.results) assertFollowObject(item)
    assert.deepEqual(json.results, [...made].reverse())
    assert.deepEqual(
      json.results.map((item: { following_username: string }) => item.following_username),
      [dave.username, carol.username, bob.username],
    )
    assertNoEmail(response, alice, bob, carol, dave)
  })

  it('works without the trailing slash', async () => {
    const alice = await register(ctx.app)
    await followOk(alice, await register(ctx.app))
    const response = await ctx.app.inject({ method: 'GET', url: `${USERS}/following`, headers: alice.auth })
    assert.equal(response.statusCode, 200)
    assert.equal(response.json().count, 1)
  })
})

describe('GET /careers/users/{username}/followers/ and /following/', () => {
  let target: Account
  let fans: Account[]
  let viewer: Account
  let idols: Account[]

  before(async () => {
    target = await register(ctx.app, { username: uniqueName('TargetUser') })
    viewer = await register(ctx.app)
    fans = [
      await register(ctx.app, { first_name: 'Charlie', last_name: 'Brown', avatar: 'https://example.com/charlie.jpg' }),
      await register(ctx.app, { first_name: 'Dana' }),
      await register(ctx.app),
    ]
    idols = [await register(ctx.app, { last_name: 'Wilson' }), await register(ctx.app)]
    for (const fan of fans) await followOk(fan, target)
    for (const idol of idols) await followOk(target, idol)
    // The viewer follows the second fan and the first idol.
    await followOk(viewer, fans[1]!)
    await followOk(viewer, idols[0]!)
  })

  it('followers: {count, results} of exact summaries, newest follow first, anonymous is_following false', async () => {
    const response = await connections(target.username, 'followers')
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), ['count', 'results'])
    assert.equal(json.count, 3)
    for (const item of json.results) assert.deepEqual(keys(item), SUMMARY_KEYS)
    assert.deepEqual(json.results, [
      { id: fans[2]!.id, username: fans[2]!.username, first_name: '', last_name: '', avatar: null, is_following: false },
      { id: fans[1]!.id, username: fans[1]!.username, first_name: 'Dana', last_name: '', avatar: null, is_following: false },
      {
        id: fans[0]!.id,
        username: fans[0]!.username,
        first_name: 'Charlie',
        last_name: 'Brown',
        avatar: 'https://example.com/charlie.jpg',
        is_following: false,
      },
    ])
    assertNoEmail(response, target, ...fans)
  })

  it('following: newest follow first, exact summaries', async () => {
    const response = await connections(target.username, 'following')
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), {
      count: 2,
      results: [
        { id: idols[1]!.id, username: idols[1]!.username, first_name: '', last_name: '', avatar: null, is_following: false },
        { id: idols[0]!.id, username: idols[0]!.username, first_name: '', last_name: 'Wilson', avatar: null, is_following: false },
      ],
    })
    assertNoEmail(response, target, ...idols)
  })

  it('is_following is from the caller\'s point of view', async () => {
    const followers = (await connections(target.username, 'followers', viewer)).json()
    assert.deepEqual(
      followers.results.map((item: { id: number; is_following: boolean }) => [item.id, item.is_following]),
      [
        [fans[2]!.id, false],
        [fans[1]!.id, true],
        [fans[0]!.id, false],
      ],
    )
    const following = (await connections(target.username, 'following', viewer)).json()
    assert.deepEqual(
      following.results.map((item: { id: number; is_following: boolean }) => [item.id, item.is_following]),
      [
        [idols[1]!.id, false],
        [idols[0]!.id, true],
      ],
    )
    // The target follows every idol; its own view of its following list says so.
    const own = (await connections(target.username, 'following', target)).json()
    assert.ok(own.results.every((item: { is_following: boolean }) => item.is_following === true))
    // And it follows none of its fans.
    const ownFans = (await connections(target.username, 'followers', target)).json()
    assert.ok(ownFans.results.every((item: { is_following: boolean }) => item.is_following === false))
  })

  it('a caller who appears in the list sees is_following false on its own row', async () => {
    const json = (await connections(target.username, 'followers', fans[0]!)).json()
    const self = json.results.find((item: { id: number }) => item.id === fans[0]!.id)
    assert.equal(self.is_following, false)
  })

  it('looks the username up case-insensitively', async () => {
    for (const side of ['followers', 'following'] as const) {
      const exact = await connections(target.username, side, viewer)
      const other = await connections(otherCase(target.username), side, viewer)
      assert.equal(other.statusCode, 200)
      assert.deepEqual(other.json(), exact.json())
    }
  })

  it('works without the trailing slash', async () => {
    for (const side of ['followers', 'following'] as const) {
      const response = await ctx.app.inject({ method: 'GET', url: `${USERS}/${target.username}/${side}` })
      assert.equal(response.statusCode, 200)
      assert.equal(response.json().count, side === 'followers' ? 3 : 2)
    }
  })

  it('answers 404 "Not found." for an unknown, malformed or deactivated user', async () => {
    const gone = await register(ctx.app)
    await setUserActive(ctx.db, gone.id, false)
    for (const side of ['followers', 'following'] as const) {
      for (const username of [uniqueName('ghost'), 'bad!name', gone.username]) {
        const response = await connections(username, side, viewer)
        assert.equal(response.statusCode, 404, `${side} ${username}`)
        assert.deepEqual(response.json(), NOT_FOUND)
      }
    }
  })

  it('`me` is the caller, and needs a token', async () => {
    for (const side of ['followers', 'following'] as const) {
      const mine = await connections('me', side, target)
      assert.equal(mine.statusCode, 200)
      assert.deepEqual(mine.json(), (await connections(target.username, side, target)).json())
      const anonymous = await connections('me', side)
      assert.equal(anonymous.statusCode, 401, side)
      assert.deepEqual(anonymous.json(), NOT_PROVIDED)
      assert.equal(anonymous.headers['www-authenticate'], 'Bearer realm="api"')
    }
  })

  it('refuses an invalid token even though the route is public', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `${USERS}/${target.username}/followers/`,
      headers: { authorization: 'Bearer garbage' },
    })
    assert.equal(response.statusCode, 401)
    assert.deepEqual(response.json(), { detail: 'Given token not valid for any token type', code: 'token_not_valid' })
  })

  it('answers {count: 0, results: []} for someone with no follows', async () => {
    const loner = await register(ctx.app)
    for (const side of ['followers', 'following'] as const) {
      const response = await connections(loner.username, side)
      assert.equal(response.statusCode, 200)
      assert.deepEqual(response.json(), { count: 0, results: [] })
    }
  })

  it('drops an unfollowed user from both lists', async () => {
    const a = await register(ctx.app)
    const b = await register(ctx.app)
    await followOk(a, b)
    assert.deepEqual((await connections(b.username, 'followers')).json().results.map((u: { id: number }) => u.id), [a.id])
    assert.deepEqual((await connections(a.username, 'following')).json().results.map((u: { id: number }) => u.id), [b.id])
    assert.equal((await unfollow(a, b.username)).statusCode, 200)
    assert.deepEqual((await connections(b.username, 'followers')).json(), { count: 0, results: [] })
    assert.deepEqual((await connections(a.username, 'following')).json(), { count: 0, results: [] })
  })
})

/** The three paged lists, each seen as "the ids of the other side, newest follow first". */
interface PagedList {
  name: string
  get(query: string): Promise<LightMyRequestResponse>
  idOf(item: Record<string, unknown>): number
}

function pagedLists(hub: Account): PagedList[] {
  return [
    { name: 'GET /careers/users/following/', get: (query) => myFollowing(hub, query), idOf: (item) => Number(item.following) },
    {
      name: 'GET /careers/users/{username}/followers/',
      get: (query) => connections(hub.username, 'followers', undefined, query),
      idOf: (item) => Number(item.id),
    },
    {
      name: 'GET /careers/users/{username}/following/',
      get: (query) => connections(hub.username, 'following', undefined, query),
      idOf: (item) => Number(item.id),
    },
  ]
}

describe('paging of the follow lists', () => {
  // The hub follows five users and is followed by the same five, in order; newest first is the reverse.
  let hub: Account
  let others: Account[]
  let newestFirst: number[]

  before(async () => {
    hub = await register(ctx.app)
    others = []
    for (let i = 0; i < 5; i++) others.push(await register(ctx.app))
    for (const other of others) {
      await followOk(hub, other)
      await followOk(other, hub)
    }
    newestFirst = others.map((other) => other.id).reverse()
  })

  it('batch_size=2 pages through 0, 1, 2 in order without overlap, then []', async () => {
    for (const list of pagedLists(hub)) {
      const pages: number[][] = []
      for (const number of [0, 1, 2]) {
        const response = await list.get(`?batch_size=2&batch_number=${number}`)
        assert.equal(response.statusCode, 200, `${list.name} page ${number}`)
        const json = response.json()
        assert.equal(json.count, 5, list.name)
        pages.push(json.results.map(list.idOf))
      }
      assert.deepEqual(pages, [newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)], list.name)
      const past = await list.get('?batch_size=2&batch_number=3')
      assert.equal(past.statusCode, 200)
      assert.deepEqual(past.json(), { count: 5, results: [] }, list.name)
    }
  })

  it('without parameters answers everything, newest first; batch_number alone starts at 0', async () => {
    for (const list of pagedLists(hub)) {
      for (const query of ['', '?batch_number=0', '?batch_size=100', '?unknown=1']) {
        const response = await list.get(query)
        assert.equal(response.statusCode, 200, `${list.name}${query}`)
        assert.equal(response.json().count, 5)
        assert.deepEqual(response.json().results.map(list.idOf), newestFirst, `${list.name}${query}`)
      }
      const second = await list.get('?batch_number=1')
      assert.deepEqual(second.json(), { count: 5, results: [] }, list.name)
    }
  })

  it('answers 200 with [] far past the end', async () => {
    for (const list of pagedLists(hub)) {
      for (const query of ['?batch_number=1000', '?batch_size=1000&batch_number=1', '?batch_size=5&batch_number=1']) {
        const response = await list.get(query)
        assert.equal(response.statusCode, 200, `${list.name}${query}`)
        assert.deepEqual(response.json(), { count: 5, results: [] }, `${list.name}${query}`)
      }
    }
  })

  it('treats a huge batch_number (an integer past the end) as past the end: 200 with []', async () => {
    for (const list of pagedLists(hub)) {
      const response = await list.get('?batch_number=99999999999999999999')
      assert.equal(response.statusCode, 200, `${list.name}: ${response.body}`)
      assert.deepEqual(response.json(), { count: 5, results: [] }, list.name)
    }
  })

  for (const value of ['abc', '0', '-1', '1.5', '', '1e2', '0x10']) {
    it(`refuses batch_size=${JSON.stringify(value)} with 400 on batch_size`, async () => {
      for (const list of pagedLists(hub)) {
        const response = await list.get(`?batch_size=${encodeURIComponent(value)}`)
        assertFieldError(response, 'batch_size')
      }
    })
  }

  for (const value of ['-1', 'x', '1.5', '']) {
    it(`refuses batch_number=${JSON.stringify(value)} with 400 on batch_number`, async () => {
      for (const list of pagedLists(hub)) {
        const response = await list.get(`?batch_number=${encodeURIComponent(value)}`)
        assertFieldError(response, 'batch_number')
      }
    })
  }

  it('reports both bad parameters at once', async () => {
    for (const list of pagedLists(hub)) {
      const response = await list.get('?batch_size=0&batch_number=-1')
      assert.equal(response.statusCode, 400)
      assert.deepEqual(keys(response.json()), ['batch_number', 'batch_size'], list.name)
    }
  })

  it('never shows an email', async () => {
    for (const list of pagedLists(hub)) assertNoEmail(await list.get(''), hub, ...others)
  })
})

describe('paging defaults and the clamp, over more than 1000 follows', () => {
  const TOTAL = 1001
  let hub: Account
  /** The ids of the other users, newest follow first. */
  let newestFirst: number[]

  before(async () => {
    hub = await register(ctx.app)
    // Seeded straight into the database: a thousand registrations through argon2 would take minutes.
    const prefix = uniqueName('bulk')
    const now = new Date().toISOString()
    const rows = Array.from({ length: TOTAL }, (_, i) => ({
      username: `${prefix}n${i}`,
      username_key: `${prefix}n${i}`.toLowerCase(),
      email: `${prefix}n${i}@example.com`,
      email_key: `${prefix}n${i}@example.com`.toLowerCase(),
      password_hash: 'not-a-hash',
      avatar: null,
      created_at: now,
      updated_at: now,
    }))
    const ids: number[] = []
    for (let start = 0; start < rows.length; start += 250) {
      const inserted = await ctx.db.insertInto('users').values(rows.slice(start, start + 250)).returning('id').execute()
      ids.push(...inserted.map((row) => Number(row.id)))
    }
    ids.sort((a, b) => a - b)
    const base = Date.now() - 10 * 60 * 1000
    const follows = ids.flatMap((id, i) => {
      const created_at = new Date(base + i * 10).toISOString()
      return [
        { follower_id: hub.id, following_id: id, created_at },
        { follower_id: id, following_id: hub.id, created_at },
      ]
    })
    for (let start = 0; start < follows.length; start += 500) {
      await ctx.db.insertInto('follows').values(follows.slice(start, start + 500)).execute()
    }
    // Keep the stored counters exact, as the service would have.
    await ctx.db
      .updateTable('users')
      .set({
        followers_count: sql`(select count(*) from follows where follows.following_id = users.id)`,
        following_count: sql`(select count(*) from follows where follows.follower_id = users.id)`,
      })
      .where((eb) => eb.or([eb('id', '=', hub.id), eb('id', 'in', ids)]))
      .execute()
    newestFirst = [...ids].reverse()
  })

  it('the seeded graph is what the counters say', async () => {
    assert.deepEqual(await counts(hub), { followers: TOTAL, following: TOTAL })
  })

  it('batch_size defaults to 100', async () => {
    for (const list of pagedLists(hub)) {
      const first = (await list.get('')).json()
      assert.equal(first.count, TOTAL, list.name)
      assert.deepEqual(first.results.map(list.idOf), newestFirst.slice(0, 100), list.name)
      const third = (await list.get('?batch_number=2')).json()
      assert.deepEqual(third.results.map(list.idOf), newestFirst.slice(200, 300), list.name)
      const last = (await list.get('?batch_number=10')).json()
      assert.deepEqual(last.results.map(list.idOf), newestFirst.slice(1000), list.name)
    }
  })

  it('batch_size above 1000 is clamped to 1000, count stays the total, and the clamp applies to the offset too', async () => {
    for (const list of pagedLists(hub)) {
      for (const size of ['5000', '1001', '99999999999999999999']) {
        const response = await list.get(`?batch_size=${size}`)
        assert.equal(response.statusCode, 200, `${list.name} ${size}`)
        const json = response.json()
        assert.equal(json.count, TOTAL)
        assert.equal(json.results.length, 1000, `${list.name} ${size}`)
        assert.deepEqual(json.results.map(list.idOf), newestFirst.slice(0, 1000))
      }
      const second = (await list.get('?batch_size=5000&batch_number=1')).json()
      assert.equal(second.count, TOTAL)
      assert.deepEqual(second.results.map(list.idOf), newestFirst.slice(1000), list.name)
      const past = (await list.get('?batch_size=5000&batch_number=2')).json()
      assert.deepEqual(past, { count: TOTAL, results: [] }, list.name)
    }
  })

  it('batch_size=1000 is allowed as is', async () => {
    for (const list of pagedLists(hub)) {
      const json = (await list.get('?batch_size=1000')).json()
      assert.equal(json.results.length, 1000, list.name)
    }
  })

  it('never shows an email, even on a full page', async () => {
    for (const list of pagedLists(hub)) {
      const response = await list.get('?batch_size=1000')
      assertNoEmail(response, hub)
    }
  })
})
