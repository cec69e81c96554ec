import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertFieldErrors, PASSWORD, publicProfile, registration, tally, uniqueName, useListeningApp } from '../support/index.js'

const server = useListeningApp()
const PARALLEL = 10
const USERS = '/careers/users'

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
        server.call('POST', `${USERS}/register/`, { body: registration({ username, email: `${username}.${i}@example.com` }) }),
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
    assert.equal((await publicProfile(server, username)).id, user.id)
    const login = await server.call('POST', `${USERS}/login/`, { body: { username, password: PASSWORD } })
    assert.equal(login.status, 200)
    assert.equal((login.body.user as { email: string }).email, user.email)
    const search = await server.call('GET', `${USERS}/?search=${username}`)
    assert.equal((search.body.batch_info as { total_users: number }).total_users, 1)
  })

  it(`${PARALLEL} of the same email: exactly one 201, the rest 400 on email`, async () => {
    const email = `${uniqueName('samemail')}@example.com`
    const names = Array.from({ length: PARALLEL }, () => uniqueName('mailrace'))
    const answers = await Promise.all(
      names.map((name) => server.call('POST', `${USERS}/register/`, { body: registration({ username: name, email }) })),
    )
    assert.deepEqual(tally(answers, [201, 400]), { 201: 1, 400: PARALLEL - 1 })
    assertFieldErrors(
      answers.filter((answer) => answer.status === 400),
      'email',
    )
    // Only the winner's account exists.
    const winner = (answers.find((answer) => answer.status === 201)!.body.user as { username: string }).username
    for (const name of names) {
      const answer = await server.call('GET', `${USERS}/${name}/`)
      assert.equal(answer.status, name === winner ? 200 : 404, name)
    }
  })

  it(`${PARALLEL} case variants of one username: exactly one 201, the rest 400 on username`, async () => {
    const base = uniqueName('racecase')
    const variants = caseVariants(base, PARALLEL)
    assert.equal(new Set(variants).size, PARALLEL)
    const answers = await Promise.all(
      variants.map((username, i) =>
        server.call('POST', `${USERS}/register/`, { body: registration({ username, email: `${base}.${i}@example.com` }) }),
      ),
    )
    assert.deepEqual(tally(answers, [201, 400]), { 201: 1, 400: PARALLEL - 1 })
    assertFieldErrors(
      answers.filter((answer) => answer.status === 400),
      'username',
    )
    const stored = (answers.find((answer) => answer.status === 201)!.body.user as { username: string }).username
    assert.ok(variants.includes(stored))
    // Whatever case the path uses, it is the one account, stored as its winner registered it.
    for (const variant of variants) assert.equal((await publicProfile(server, variant)).username, stored)
  })

  it('same username and same email at once: one 201, the rest 400, never 5xx', async () => {
    const username = uniqueName('bothrace')
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        server.call('POST', `${USERS}/register/`, { body: registration({ username, email: `${username}@example.com` }) }),
      ),
    )
    assert.deepEqual(tally(answers, [201, 400]), { 201: 1, 400: PARALLEL - 1 })
    // Every loser hears of both, as a registration after the winner's would (not only the constraint met first).
    for (const answer of answers.filter((a) => a.status === 400)) {
      assert.deepEqual(answer.body, {
        username: ['A user with that username already exists.'],
        email: ['A user with that email already exists.'],
      })
    }
  })
})
