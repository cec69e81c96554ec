import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  assertFieldErrors,
  keys,
  publicProfile,
  register,
  shuffled,
  tally,
  useListeningApp,
  type Account,
} from '../support/index.js'

const server = useListeningApp()
const PARALLEL = 10
const USERS = '/careers/users'

function signup(): Promise<Account> {
  return register(server.app)
}

async function signups(n: number): Promise<Account[]> {
  return Promise.all(Array.from({ length: n }, () => signup()))
}

const follow = (who: Account, target: Account) => server.call('POST', `${USERS}/follow/`, { who, body: { following: target.id } })
const unfollow = (who: Account, target: Account) => server.call('DELETE', `${USERS}/${target.username}/unfollow/`, { who })

async function stats(who: Account): Promise<Record<string, unknown>> {
  const answer = await server.call('GET', `${USERS}/me/stats/`, { who })
  assert.equal(answer.status, 200, answer.text)
  return answer.body
}

/** The real number of follow rows on each side, as the lists report them. */
async function listed(username: string, side: 'followers' | 'following'): Promise<{ count: number; ids: number[] }> {
  const answer = await server.call('GET', `${USERS}/${username}/${side}/?batch_size=1000`)
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
    publicProfile(server, who.username),
    stats(who),
  ])
  assert.equal(followers.count, expected.followers, `${who.username} followers rows`)
  assert.equal(following.count, expected.following, `${who.username} following rows`)
  assert.equal(shown.followers_count, expected.followers, `${who.username} profile followers_count`)
  assert.equal(shown.following_count, expected.following, `${who.username} profile following_count`)
  assert.equal(own.followers_count, expected.followers, `${who.username} stats followers_count`)
  assert.equal(own.following_count, expected.following, `${who.username} stats following_count`)
}
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
    assert.equal((await publicProfile(server, star!.username)).followers_count, 1)
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
    assert.equal((await publicProfile(server, star!.username)).followers_count, 0)
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
    assert.deepEqual(
      (await listed(star.username, 'followers')).ids,
      fans.map((fan) => fan.id).sort((a, b) => a - b),
    )
    for (const fan of fans) assert.equal((await stats(fan)).following_count, 1)
  })

  it('one user following many targets at once: following_count equals the number of 201s', async () => {
    const fan = await signup()
    const stars = await signups(15)
    const answers = await Promise.all(stars.map((star) => follow(fan, star)))
    assert.equal(tally(answers, [201])[201], stars.length)
    await assertCountsExact(fan, { followers: 0, following: stars.length })
    for (const star of stars) assert.equal((await publicProfile(server, star.username)).followers_count, 1)
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
    const answers = await Promise.all(
      storm.map(({ fan, action }) => (action === 'follow' ? follow(fan, star) : unfollow(fan, star))),
    )

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

    const followingIds = fans
      .filter((fan) => expected.get(fan.id) === 1)
      .map((fan) => fan.id)
      .sort((a, b) => a - b)
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
