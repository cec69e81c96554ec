import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, keys, PASSWORD, register, uniqueName, type Account, type TestApp } from '../helper.js'

// Real concurrency: the app listens on a socket and every burst is fired at once with fetch.
const PARALLEL = 10
const USERS = '/careers/users'

let testApp: TestApp
let baseUrl: string

before(async () => {
  testApp = await buildTestApp()
  await testApp.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = testApp.app.server.address() as AddressInfo
  baseUrl = `http://127.0.0.1:${port}`
})

after(async () => {
  await testApp.close()
})

interface Answer {
  status: number
  body: Record<string, unknown>
  text: string
}

async function call(method: string, path: string, options: { who?: Account; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (options.who) headers.authorization = options.who.auth.authorization
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const text = await response.text()
  let body: Record<string, unknown> = {}
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    // Left empty: the status assertions report the raw text.
  }
  return { status: response.status, body, text }
}

function signup(): Promise<Account> {
  return register(testApp.app)
}

async function signups(n: number): Promise<Account[]> {
  return Promise.all(Array.from({ length: n }, () => signup()))
}

const follow = (who: Account, target: Account) => call('POST', `${USERS}/follow/`, { who, body: { following: target.id } })
const unfollow = (who: Account, target: Account) => call('DELETE', `${USERS}/${target.username}/unfollow/`, { who })

function registration(username: string, email: string): Record<string, unknown> {
  return { username, email, password: PASSWORD, password_confirm: PASSWORD }
}

/** Every answer is one of the expected statuses (never a 5xx); returns how many had each. */
function tally(answers: Answer[], allowed: number[]): Record<number, number> {
  const byStatus: Record<number, number> = {}
  for (const answer of answers) {
    assert.ok(allowed.includes(answer.status), `unexpected ${answer.status}: ${answer.text}`)
    byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1
  }
  return byStatus
}

function assertFieldErrors(answers: Answer[], field: string): void {
  for (const answer of answers) {
    assert.equal(answer.status, 400, answer.text)
    assert.deepEqual(keys(answer.body), [field], answer.text)
    assert.ok(Array.isArray(answer.body[field]), answer.text)
  }
}

async function profile(username: string): Promise<Record<string, unknown>> {
  const answer = await call('GET', `${USERS}/${username}/`)
  assert.equal(answer.status, 200, answer.text)
  return answer.body
}

async function stats(who: Account): Promise<Record<string, unknown>> {
  const answer = await call('GET', `${USERS}/me/stats/`, { who })
  assert.equal(answer.status, 200, answer.text)
  return answer.body
}

/** The real number of follow rows on each side, as the lists report them. */
async function listed(username: string, side: 'followers' | 'following'): Promise<{ count: number; ids: number[] }> {
  const answer = await call('GET', `${USERS}/${username}/${side}/?batch_size=1000`)
  assert.equal(answer.status, 200, answer.text)
  const results = answer.body.results as { id: number }[]
  assert.equal(results.length, answer.body.count, 'one page holds them all')
  return { count: Number(answer.body.count), ids: results.map((row) => row.id).sort((a, b) => a - b) }
}

/** Counters on the profile and on me/stats equal the rows the lists show. */
async function assertCountsExact(who: Account, expected: { followers: number; following: number }): Promise<void> {
  const [followers, following, shown, own] = await Promise.all([
    listed(who.username, 'followers'),
    listed(who.username, 'following'),
    profile(who.username),
    stats(who),
  ])
  assert.equal(followers.count, expected.followers, `${who.username} followers rows`)
  assert.equal(following.count, expected.following, `${who.username} following rows`)
  assert.equal(shown.followers_count, expected.followers, `${who.username} profile followers_count`)
  assert.equal(shown.following_count, expected.following, `${who.username} profile following_count`)
  assert.equal(own.followers_count, expected.followers, `${who.username} stats followers_count`)
  assert.equal(own.following_count, expected.following, `${who.username} stats following_count`)
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}

/** `count` distinct case variants of `name` (which must hold enough letters). */
function caseVariants(name: string, count: number): string[] {
  const letters = [...name].map((char, index) => (/[a-z]/i.test(char) ? index : -1)).filter((index) => index >= 0)
  assert.ok(2 ** letters.length >= count)
  return Array.from({ length: count }, (_, variant) => {
    const chars = [...name.toLowerCase()]
    letters.forEach((index, bit) => {
      if (variant & (1 << bit)) chars[index] = chars[index]!.toUpperCase()
    })
    return chars.join('')
  })
}

describe('concurrent registrations', () => {
  it(`${PARALLEL} of the same username: exactly one 201, the rest 400 on username`, async () => {
    const username = uniqueName('samename')
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        call('POST', `${USERS}/register/`, { body: registration(username, `${username}.${i}@example.com`) }),
      ),
    )
    assert.deepEqual(tally(answers, [201, 400]), { 201: 1, 400: PARALLEL - 1 })
    assertFieldErrors(
      answers.filter((answer) => answer.status === 400),
      'username',
    )
    const winner = answers.find((answer) => answer.status === 201)!
    const user = winner.body.user as { id: number; username: string; email: string }
    assert.equal(user.username, username)
    assert.equal((await profile(username)).id, user.id)
    const login = await call('POST', `${USERS}/login/`, { body: { username, password: PASSWORD } })
    assert.equal(login.status, 200)
    assert.equal((login.body.user as { email: string }).email, user.email)
    const search = await call('GET', `${USERS}/?search=${username}`)
    assert.equal((search.body.batch_info as { total_users: number }).total_users, 1)
  })

  it(`${PARALLEL} of the same email: exactly one 201, the rest 400 on email`, async () => {
    const email = `${uniqueName('samemail')}@example.com`
    const names = Array.from({ length: PARALLEL }, () => uniqueName('mailrace'))
    const answers = await Promise.all(names.map((name) => call('POST', `${USERS}/register/`, { body: registration(name, email) })))
    assert.deepEqual(tally(answers, [201, 400]), { 201: 1, 400: PARALLEL - 1 })
    assertFieldErrors(
      answers.filter((answer) => answer.status === 400),
      'email',
    )
    // Only the winner's account exists.
    const winner = (answers.find((answer) => answer.status === 201)!.body.user as { username: string }).username
    for (const name of names) {
      const answer = await call('GET', `${USERS}/${name}/`)
      assert.equal(answer.status, name === winner ? 200 : 404, name)
    }
  })

  it(`${PARALLEL} case variants of one username: exactly one 201, the rest 400 on username`, async () => {
    const base = uniqueName('racecase')
    const variants = caseVariants(base, PARALLEL)
    assert.equal(new Set(variants).size, PARALLEL)
    const answers = await Promise.all(
      variants.map((username, i) => call('POST', `${USERS}/register/`, { body: registration(username, `${base}.${i}@example.com`) })),
    )
    assert.deepEqual(tally(answers, [201, 400]), { 201: 1, 400: PARALLEL - 1 })
    assertFieldErrors(
      answers.filter((answer) => answer.status === 400),
      'username',
    )
    const stored = (answers.find((answer) => answer.status === 201)!.body.user as { username: string }).username
    assert.ok(variants.includes(stored))
    // Whatever case the path uses, it is the one account, stored as its winner registered it.
    for (const variant of variants) assert.equal((await profile(variant)).username, stored)
  })

  it('same username and same email at once: one 201, the rest 400, never 5xx', async () => {
    const username = uniqueName('bothrace')
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () => call('POST', `${USERS}/register/`, { body: registration(username, `${username}@example.com`) })),
    )
    assert.deepEqual(tally(answers, [201, 400]), { 201: 1, 400: PARALLEL - 1 })
    for (const answer of answers.filter((a) => a.status === 400)) {
      const fields = keys(answer.body)
      assert.ok(fields.length > 0 && fields.every((field) => field === 'username' || field === 'email'), answer.text)
    }
  })
})

describe('concurrent follows and unfollows', () => {
  it(`${PARALLEL} follows of one user by one caller: one 201, the rest 400 on following, counts 1`, async () => {
    const [fan, star] = await signups(2)
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => follow(fan!, star!)))
    assert.deepEqual(tally(answers, [201, 400]), { 201: 1, 400: PARALLEL - 1 })
    assertFieldErrors(
      answers.filter((answer) => answer.status === 400),
      'following',
    )
    const created = answers.find((answer) => answer.status === 201)!.body
    assert.equal(created.follower, fan!.id)
    assert.equal(created.following, star!.id)
    assert.equal((await profile(star!.username)).followers_count, 1)
    assert.equal((await stats(fan!)).following_count, 1)
    await assertCountsExact(star!, { followers: 1, following: 0 })
    await assertCountsExact(fan!, { followers: 0, following: 1 })
  })

  it(`${PARALLEL} unfollows: one 200, the rest 400 {detail}, counts back to 0`, async () => {
    const [fan, star] = await signups(2)
    assert.equal((await follow(fan!, star!)).status, 201)
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => unfollow(fan!, star!)))
    assert.deepEqual(tally(answers, [200, 400]), { 200: 1, 400: PARALLEL - 1 })
    assert.deepEqual(answers.find((answer) => answer.status === 200)!.body, { message: `Stopped following ${star!.username}` })
    for (const answer of answers.filter((a) => a.status === 400)) assert.deepEqual(keys(answer.body), ['detail'])
    assert.equal((await profile(star!.username)).followers_count, 0)
    assert.equal((await stats(fan!)).following_count, 0)
    await assertCountsExact(star!, { followers: 0, following: 0 })
    await assertCountsExact(fan!, { followers: 0, following: 0 })
  })

  it('many users following one target at once: followers_count equals the number of 201s', async () => {
    const star = await signup()
    const fans = await signups(20)
    const answers = await Promise.all(fans.map((fan) => follow(fan, star)))
    const byStatus = tally(answers, [201])
    assert.equal(byStatus[201], fans.length)
    await assertCountsExact(star, { followers: byStatus[201]!, following: 0 })
    assert.deepEqual((await listed(star.username, 'followers')).ids, fans.map((fan) => fan.id).sort((a, b) => a - b))
    for (const fan of fans) assert.equal((await stats(fan)).following_count, 1)
  })

  it('one user following many targets at once: following_count equals the number of 201s', async () => {
    const fan = await signup()
    const stars = await signups(15)
    const answers = await Promise.all(stars.map((star) => follow(fan, star)))
    assert.equal(tally(answers, [201])[201], stars.length)
    await assertCountsExact(fan, { followers: 0, following: stars.length })
    for (const star of stars) assert.equal((await profile(star.username)).followers_count, 1)
  })

  it('everyone following everyone (both directions at once), then everyone unfollowing: never 5xx, counts exact', async () => {
    const group = await signups(6)
    const pairs = group.flatMap((a) => group.filter((b) => b !== a).map((b) => [a, b] as const))
    const follows = await Promise.all(shuffled(pairs).map(([a, b]) => follow(a, b)))
    assert.equal(tally(follows, [201])[201], pairs.length)
    for (const member of group) await assertCountsExact(member, { followers: group.length - 1, following: group.length - 1 })

    const unfollows = await Promise.all(shuffled(pairs).map(([a, b]) => unfollow(a, b)))
    assert.equal(tally(unfollows, [200])[200], pairs.length)
    for (const member of group) await assertCountsExact(member, { followers: 0, following: 0 })
  })

  it('interleaved follow/unfollow storms: each pair ends in the state its answers imply, and counts match the rows', async () => {
    const star = await signup()
    const fans = await signups(8)
    // Half the fans already follow the star before the storm.
    for (const fan of fans.slice(0, 4)) assert.equal((await follow(fan, star)).status, 201)

    const storm = shuffled(
      fans.flatMap((fan) => [
        ...Array.from({ length: 4 }, () => ({ fan, action: 'follow' as const })),
        ...Array.from({ length: 4 }, () => ({ fan, action: 'unfollow' as const })),
      ]),
    )
    const answers = await Promise.all(storm.map(({ fan, action }) => (action === 'follow' ? follow(fan, star) : unfollow(fan, star))))

    // A pair's final state follows from its answers: initial + successful follows - successful unfollows, which is 0 or 1.
    const expected = new Map<number, number>()
    fans.forEach((fan, i) => expected.set(fan.id, i < 4 ? 1 : 0))
    storm.forEach(({ fan, action }, i) => {
      const answer = answers[i]!
      if (action === 'follow') {
        assert.ok([201, 400].includes(answer.status), answer.text)
        if (answer.status === 201) expected.set(fan.id, expected.get(fan.id)! + 1)
        else assert.deepEqual(keys(answer.body), ['following'], answer.text)
      } else {
        assert.ok([200, 400].includes(answer.status), answer.text)
        if (answer.status === 200) expected.set(fan.id, expected.get(fan.id)! - 1)
        else assert.deepEqual(keys(answer.body), ['detail'], answer.text)
      }
    })
    for (const [id, state] of expected) assert.ok(state === 0 || state === 1, `user ${id} ended at ${state}`)

    const followingIds = fans.filter((fan) => expected.get(fan.id) === 1).map((fan) => fan.id).sort((a, b) => a - b)
    assert.deepEqual((await listed(star.username, 'followers')).ids, followingIds)
    await assertCountsExact(star, { followers: followingIds.length, following: 0 })
    for (const fan of fans) await assertCountsExact(fan, { followers: 0, following: expected.get(fan.id)! })

    // Settle into a known state: everyone follows (in parallel), then check; everyone unfollows, then check.
    const settle = await Promise.all(fans.map((fan) => follow(fan, star)))
    assert.equal(tally(settle, [201, 400])[201] ?? 0, fans.length - followingIds.length)
    await assertCountsExact(star, { followers: fans.length, following: 0 })
    const leave = await Promise.all(fans.flatMap((fan) => [unfollow(fan, star), unfollow(fan, star)]))
    assert.deepEqual(tally(leave, [200, 400]), { 200: fans.length, 400: fans.length })
    await assertCountsExact(star, { followers: 0, following: 0 })
    for (const fan of fans) await assertCountsExact(fan, { followers: 0, following: 0 })
  })

  it('a follow/unfollow storm between two users in both directions ends consistent', async () => {
    const [a, b] = await signups(2)
    const actions = shuffled([
      ...Array.from({ length: 5 }, () => () => follow(a!, b!)),
      ...Array.from({ length: 5 }, () => () => follow(b!, a!)),
      ...Array.from({ length: 5 }, () => () => unfollow(a!, b!)),
      ...Array.from({ length: 5 }, () => () => unfollow(b!, a!)),
    ])
    const answers = await Promise.all(actions.map((action) => action()))
    tally(answers, [200, 201, 400])
    const aFollowsB = (await listed(b!.username, 'followers')).count
    const bFollowsA = (await listed(a!.username, 'followers')).count
    assert.ok(aFollowsB <= 1 && bFollowsA <= 1)
    await assertCountsExact(a!, { followers: bFollowsA, following: aFollowsB })
    await assertCountsExact(b!, { followers: aFollowsB, following: bFollowsA })
  })
})
