import assert from 'node:assert/strict'
import { verify } from '@node-rs/argon2'
import { describe, it } from 'node:test'
import { getMe, ISO_UTC, keys, PASSWORD, registration, uniqueName, useTestApp } from '../support/index.js'

const ctx = useTestApp()
const REGISTER = '/careers/users/register/'

describe('POST /careers/users/register/', () => {
  it('creates the account and answers exactly the seed shape', async () => {
    const body = registration({ first_name: 'Alice', last_name: 'Smith', bio: 'Software developer passionate about APIs' })
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: body })
    assert.equal(response.statusCode, 201)
    const json = response.json()
    assert.deepEqual(keys(json), ['access', 'refresh', 'user'])
    assert.deepEqual(keys(json.user), ['bio', 'created_at', 'email', 'first_name', 'id', 'last_name', 'username'])
    assert.equal(typeof json.user.id, 'number')
    assert.equal(json.user.username, body.username)
    assert.equal(json.user.email, body.email)
    assert.equal(json.user.first_name, 'Alice')
    assert.equal(json.user.bio, 'Software developer passionate about APIs')
    assert.match(json.user.created_at, ISO_UTC)
    assert.match(response.headers['content-type'] as string, /^application\/json; charset=utf-8$/)
    assert.equal((await getMe(ctx.app, json.access)).statusCode, 200)
  })

  it('stores empty optional text as "" and a missing avatar as null', async () => {
    const { access } = (await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration() })).json()
    const profile = (await getMe(ctx.app, access)).json()
    assert.equal(profile.first_name, '')
    assert.equal(profile.last_name, '')
    assert.equal(profile.bio, '')
    assert.equal(profile.avatar, null)
  })

  it('works without the trailing slash', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/careers/users/register', payload: registration() })
    assert.equal(response.statusCode, 201)
  })

  it('reports every missing field at once, DRF style', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: {} })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json(), {
      username: ['This field is required.'],
      email: ['This field is required.'],
      password: ['This field is required.'],
      password_confirm: ['This field is required.'],
    })
  })

  it('treats an absent body like an empty object', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(keys(response.json()), ['email', 'password', 'password_confirm', 'username'])
  })

  it('refuses mismatched confirmation and a bad email in one answer', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ email: 'not-an-email', password_confirm: 'different123' }),
    })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json(), {
      email: ['Enter a valid email address.'],
      password_confirm: ['Passwords do not match.'],
    })
  })

  for (const [label, username] of [
    ['too short', 'ab'],
    ['too long', 'a'.repeat(151)],
    ['a space', 'bad name'],
    ['a forbidden character', 'bad!name'],
    ['a slash', 'bad/name'],
    ['empty', ''],
    ['in fullwidth letters (NFKC folds them into ASCII)', 'ａｌｉｃｅ'],
    ['written with a ligature', 'ﬁnn'],
    ['written with a Kelvin sign', '\u212Aate'],
    ['a letter and a combining accent', 'jose\u0301'],
    ['an emoji', 'ana😀'],
    ['too long in characters', 'é'.repeat(151)],
  ] as const) {
    it(`refuses a username that is ${label}`, async () => {
      const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ username }) })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(keys(response.json()), ['username'])
    })
  }

  it('accepts every allowed username character', async () => {
    const username = `a.b+c-d_e@f${process.pid}`
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ username }) })
    assert.equal(response.statusCode, 201)
    assert.equal(response.json().user.username, username)
  })

  it('accepts letters and digits of any script, as Django does, looked up ignoring case', async () => {
    const username = `Zoë_Ünal.李${process.pid}٣`
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ username }) })
    assert.equal(response.statusCode, 201)
    assert.equal(response.json().user.username, username)
    const profile = await ctx.app.inject({ method: 'GET', url: `/careers/users/${encodeURIComponent(username.toUpperCase())}/` })
    assert.equal(profile.statusCode, 200)
    assert.equal(profile.json().username, username)
    const again = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ username: username.toLowerCase(), email: `${uniqueName()}@example.com` }),
    })
    assert.equal(again.statusCode, 400)
    assert.deepEqual(again.json(), { username: ['A user with that username already exists.'] })
    const tag = uniqueName('')
    const longest = 'é'.repeat(150 - tag.length) + tag
    const long = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ username: longest }) })
    assert.equal(long.statusCode, 201)
    assert.equal((await ctx.app.inject({ method: 'GET', url: `/careers/users/${encodeURIComponent(longest)}/` })).statusCode, 200)
  })

  it("refuses a username that is another account's email, and an email that is another's username", async () => {
    const taken = `${uniqueName('mail')}@example.com`
    const owner = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ email: taken }) })
    assert.equal(owner.statusCode, 201)
    const shadow = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ username: taken.toUpperCase() }),
    })
    assert.deepEqual([shadow.statusCode, shadow.json()], [400, { username: ['A user with that username already exists.'] }])
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/careers/users/login/',
      payload: { username: taken, password: PASSWORD },
    })
    assert.equal(login.statusCode, 200)
    assert.equal(login.json().user.id, owner.json().user.id)

    const named = `${uniqueName('name')}@example.com`
    const self = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ username: named, email: named }) })
    assert.equal(self.statusCode, 201, 'one account may have its email as its username')
    const other = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ email: named.toUpperCase() }) })
    assert.deepEqual([other.statusCode, other.json()], [400, { email: ['A user with that email already exists.'] }])
    const update = await ctx.app.inject({
      method: 'PATCH',
      url: '/careers/users/me/update/',
      headers: { authorization: `Bearer ${owner.json().access}` },
      payload: { email: named },
    })
    assert.deepEqual([update.statusCode, update.json()], [400, { email: ['A user with that email already exists.'] }])
  })

  for (const reserved of ['me', 'ME', 'register', 'Following', 'admin', 'docs', 'health', 'metrics', 'search']) {
    it(`refuses the reserved username "${reserved}"`, async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: REGISTER,
        payload: registration({ username: reserved, email: `${uniqueName()}@example.com` }),
      })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(keys(response.json()), ['username'])
    })
  }

  it('refuses a username or email taken in another case', async () => {
    const first = registration()
    assert.equal((await ctx.app.inject({ method: 'POST', url: REGISTER, payload: first })).statusCode, 201)
    const sameName = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ username: String(first.username).toUpperCase() }),
    })
    assert.equal(sameName.statusCode, 400)
    assert.deepEqual(keys(sameName.json()), ['username'])
    const sameEmail = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ email: String(first.email).toUpperCase() }),
    })
    assert.equal(sameEmail.statusCode, 400)
    assert.deepEqual(keys(sameEmail.json()), ['email'])
  })

  for (const [label, password, extra] of [
    ['shorter than 8 characters', 'abc1234', {}],
    ['entirely numeric', '1234567890', {}],
    ['longer than 128 characters', 'a1'.repeat(65), {}],
    ['the username', 'samepassuser', { username: 'samepassuser' }],
  ] as const) {
    it(`refuses a password that is ${label}`, async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: REGISTER,
        payload: registration({ password, password_confirm: password, ...extra }),
      })
      assert.equal(response.statusCode, 400)
      assert.ok('password' in response.json())
    })
  }

  for (const [field, value] of [
    ['first_name', 'x'.repeat(151)],
    ['last_name', 'x'.repeat(151)],
    ['bio', 'x'.repeat(1001)],
    ['avatar', 'ftp://example.com/a.png'],
    ['avatar', 'not a url'],
    ['avatar', `https://example.com/${'a'.repeat(500)}`],
    ['email', `${'a'.repeat(250)}@example.com`],
    ['first_name', null],
    ['bio', 42],
    ['username', 12345],
    ['first_name', 'nul\u0000byte'],
  ] as const) {
    it(`refuses ${field} = ${JSON.stringify(value)?.slice(0, 30)}`, async () => {
      const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ [field]: value }) })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(keys(response.json()), [field])
      assert.ok(Array.isArray(response.json()[field]))
    })
  }

  it("answers DRF's messages for null and blank values, one per field", async () => {
    const nulls = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: { username: null, email: null, password: null, password_confirm: 'password123' },
    })
    assert.equal(nulls.statusCode, 400)
    // No mismatch on password_confirm: there is no password to compare it with.
    assert.deepEqual(nulls.json(), {
      username: ['This field may not be null.'],
      email: ['This field may not be null.'],
      password: ['This field may not be null.'],
    })
    const blanks = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: { username: '', email: '', password: '', password_confirm: '' },
    })
    assert.equal(blanks.statusCode, 400)
    const blank = ['This field may not be blank.']
    assert.deepEqual(blanks.json(), { username: blank, email: blank, password: blank, password_confirm: blank })
  })

  it('takes a 150-letter name whose lower-case form is longer (İ lower-cases to two characters)', async () => {
    const username = 'İ'.repeat(75) + uniqueName().slice(0, 75)
    assert.equal([...username].length <= 150, true)
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ username }) })
    assert.equal(response.statusCode, 201, response.body)
    const again = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ username: username.toUpperCase() }),
    })
    assert.equal(again.statusCode, 400)
    assert.deepEqual(again.json(), { username: ['A user with that username already exists.'] })
    const profile = await ctx.app.inject({ method: 'GET', url: `/careers/users/${encodeURIComponent(username)}/` })
    assert.equal(profile.statusCode, 200)
    assert.equal(profile.json().username, username)
  })

  it('ignores keys a client may not set (no mass assignment)', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({
        id: 999_999,
        is_staff: true,
        is_active: false,
        followers_count: 50,
        created_at: '2000-01-01T00:00:00Z',
      }),
    })
    assert.equal(response.statusCode, 201)
    const { user, access } = response.json()
    assert.notEqual(user.id, 999_999)
    assert.notEqual(user.created_at, '2000-01-01T00:00:00Z')
    const profile = (await getMe(ctx.app, access)).json()
    assert.equal(profile.followers_count, 0)
  })

  it('stores the password as an argon2id hash at one of the settings OWASP lists as equally strong', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration() })
    assert.equal(response.statusCode, 201)
    const { password_hash: stored } = await ctx.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', response.json().user.id as number)
      .executeTakeFirstOrThrow()
    assert.match(stored, /^\$argon2id\$v=19\$m=(47104,t=1|19456,t=2|12288,t=3|9216,t=4|7168,t=5),p=1\$[^$]{22}\$[^$]{43}$/)
    assert.equal(await verify(stored, PASSWORD), true)
    assert.equal(await verify(stored, `${PASSWORD}x`), false)
  })

  it('never returns the password or its hash', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration() })
    assert.ok(!response.body.includes(PASSWORD))
    assert.ok(!response.body.includes('argon2'))
  })
})
