import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  assertFollowObject,
  assertNoEmail,
  connections,
  followOk,
  keys,
  myFollowing,
  NOT_FOUND,
  NOT_PROVIDED,
  otherCase,
  register,
  setActive,
  SUMMARY_KEYS,
  unfollow,
  uniqueName,
  USERS,
  useTestApp,
  type Account,
} from '../support/index.js'

const ctx = useTestApp()
const MY_FOLLOWING = `${USERS}/following/`

describe('GET /careers/users/following/', () => {
  it('needs a token', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: MY_FOLLOWING })
    assert.equal(response.statusCode, 401)
    assert.deepEqual(response.json(), NOT_PROVIDED)
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
  })

  it('answers {count: 0, results: []} for someone who follows nobody', async () => {
    const alice = await register(ctx.app)
    const response = await myFollowing(ctx.app, alice)
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { count: 0, results: [] })
  })

  it("lists my follows as the very follow objects, newest first, and nobody else's", async () => {
    const alice = await register(ctx.app)
    const [bob, carol, dave] = [await register(ctx.app), await register(ctx.app), await register(ctx.app)]
    const made = [
      await followOk(ctx.app, alice, bob),
      await followOk(ctx.app, alice, carol),
      await followOk(ctx.app, alice, dave),
    ]
    // Noise: follows by others, and follows of alice.
    await followOk(ctx.app, bob, carol)
    await followOk(ctx.app, dave, alice)

    const response = await myFollowing(ctx.app, alice)
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
    await followOk(ctx.app, alice, await register(ctx.app))
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
    for (const fan of fans) await followOk(ctx.app, fan, target)
    for (const idol of idols) await followOk(ctx.app, target, idol)
    // The viewer follows the second fan and the first idol.
    await followOk(ctx.app, viewer, fans[1]!)
    await followOk(ctx.app, viewer, idols[0]!)
  })

  it('followers: {count, results} of exact summaries, newest follow first, anonymous is_following false', async () => {
    const response = await connections(ctx.app, target.username, 'followers')
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
    const response = await connections(ctx.app, target.username, 'following')
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), {
      count: 2,
      results: [
        { id: idols[1]!.id, username: idols[1]!.username, first_name: '', last_name: '', avatar: null, is_following: false },
        {
          id: idols[0]!.id,
          username: idols[0]!.username,
          first_name: '',
          last_name: 'Wilson',
          avatar: null,
          is_following: false,
        },
      ],
    })
    assertNoEmail(response, target, ...idols)
  })

  it("is_following is from the caller's point of view", async () => {
    const followers = (await connections(ctx.app, target.username, 'followers', viewer)).json()
    assert.deepEqual(
      followers.results.map((item: { id: number; is_following: boolean }) => [item.id, item.is_following]),
      [
        [fans[2]!.id, false],
        [fans[1]!.id, true],
        [fans[0]!.id, false],
      ],
    )
    const following = (await connections(ctx.app, target.username, 'following', viewer)).json()
    assert.deepEqual(
      following.results.map((item: { id: number; is_following: boolean }) => [item.id, item.is_following]),
      [
        [idols[1]!.id, false],
        [idols[0]!.id, true],
      ],
    )
    // The target follows every idol; its own view of its following list says so.
    const own = (await connections(ctx.app, target.username, 'following', target)).json()
    assert.ok(own.results.every((item: { is_following: boolean }) => item.is_following === true))
    // And it follows none of its fans.
    const ownFans = (await connections(ctx.app, target.username, 'followers', target)).json()
    assert.ok(ownFans.results.every((item: { is_following: boolean }) => item.is_following === false))
  })

  it('a caller who appears in the list sees is_following false on its own row', async () => {
    const json = (await connections(ctx.app, target.username, 'followers', fans[0]!)).json()
    const self = json.results.find((item: { id: number }) => item.id === fans[0]!.id)
    assert.equal(self.is_following, false)
  })

  it('looks the username up case-insensitively', async () => {
    for (const side of ['followers', 'following'] as const) {
      const exact = await connections(ctx.app, target.username, side, viewer)
      const other = await connections(ctx.app, otherCase(target.username), side, viewer)
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
    await setActive(ctx.db, gone.id, false)
    for (const side of ['followers', 'following'] as const) {
      for (const username of [uniqueName('ghost'), 'bad!name', gone.username]) {
        const response = await connections(ctx.app, username, side, viewer)
        assert.equal(response.statusCode, 404, `${side} ${username}`)
        assert.deepEqual(response.json(), NOT_FOUND)
      }
    }
  })

  it('`me` is the caller, and needs a token', async () => {
    for (const side of ['followers', 'following'] as const) {
      const mine = await connections(ctx.app, 'me', side, target)
      assert.equal(mine.statusCode, 200)
      assert.deepEqual(mine.json(), (await connections(ctx.app, target.username, side, target)).json())
      const anonymous = await connections(ctx.app, 'me', side)
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
      const response = await connections(ctx.app, loner.username, side)
      assert.equal(response.statusCode, 200)
      assert.deepEqual(response.json(), { count: 0, results: [] })
    }
  })

  it('drops an unfollowed user from both lists', async () => {
    const a = await register(ctx.app)
    const b = await register(ctx.app)
    await followOk(ctx.app, a, b)
    assert.deepEqual(
      (await connections(ctx.app, b.username, 'followers')).json().results.map((u: { id: number }) => u.id),
      [a.id],
    )
    assert.deepEqual(
      (await connections(ctx.app, a.username, 'following')).json().results.map((u: { id: number }) => u.id),
      [b.id],
    )
    assert.equal((await unfollow(ctx.app, a, b.username)).statusCode, 200)
    assert.deepEqual((await connections(ctx.app, b.username, 'followers')).json(), { count: 0, results: [] })
    assert.deepEqual((await connections(ctx.app, a.username, 'following')).json(), { count: 0, results: [] })
  })
})
