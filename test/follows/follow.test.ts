import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  assertFieldError,
  assertFollowObject,
  assertNoEmail,
  connections,
  counts,
  follow,
  followOk,
  keys,
  NOT_PROVIDED,
  register,
  setActive,
  statsCounts,
  uniqueName,
  USERS,
  useTestApp,
  type Account,
} from '../support/index.js'

const ctx = useTestApp()
const FOLLOW = `${USERS}/follow/`

describe('POST /careers/users/follow/', () => {
  it('answers 201 with exactly the seed follow object', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const started = Date.now()
    const response = await follow(ctx.app, alice, bob.id)
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
    const response = await ctx.app.inject({
      method: 'POST',
      url: `${USERS}/follow`,
      headers: alice.auth,
      payload: { following: bob.id },
    })
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
    assert.deepEqual(await counts(ctx.app, bob), { followers: 0, following: 0 })
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
        assert.deepEqual(await counts(ctx.app, alice), { followers: 0, following: 0 })
        assert.deepEqual(await counts(ctx.app, bob), { followers: 0, following: 0 })
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
      await setActive(ctx.db, gone.id, false)
      assertFieldError(await follow(ctx.app, alice, gone.id), 'following')
      assert.deepEqual(await statsCounts(ctx.app, alice), { followers: 0, following: 0 })
    })
  })

  it('refuses a second follow of the same user, keeping the counts at 1', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(ctx.app, alice, bob)
    const again = await follow(ctx.app, alice, bob.id)
    assertFieldError(again, 'following')
    assert.deepEqual(await counts(ctx.app, alice), { followers: 0, following: 1 })
    assert.deepEqual(await counts(ctx.app, bob), { followers: 1, following: 0 })
    assert.equal((await connections(ctx.app, bob.username, 'followers')).json().count, 1)
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
