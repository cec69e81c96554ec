import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { register, useTestApp, type Account } from '../helper.js'
import { call, counterMismatches, type Json } from './posts.helpers.js'

// Random sequences of every counted action: no 5xx, and every stored counter equals a COUNT of its rows.
const ctx = useTestApp()
const RUNS = Number(process.env.PROPERTY_RUNS ?? 25)
let people: Account[] = []

// Few users and posts, so that actions meet each other (a like then its unlike, a comment then its deletion).
const action = fc.record({
  kind: fc.constantFrom('post', 'like', 'unlike', 'share', 'unshare', 'comment', 'uncomment', 'share-post', 'delete'),
  who: fc.integer({ min: 0, max: 1 }),
  slot: fc.integer({ min: 0, max: 2 }),
  nth: fc.nat(3),
})

describe('counters under random sequences', () => {
  it('stay equal to the rows they count', async () => {
    people = [await register(ctx.app), await register(ctx.app)]
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 40 }), async (actions) => {
        const posts: number[] = []
        for (const user of people)
          posts.push((await call(ctx.app, 'POST', '/careers/', user, { title: 't', content: 'c' })).body.id as number)
        const comments: { post: number; id: number }[] = []
        for (const step of actions) {
          const user = people[step.who]!
          const postId = posts[posts.length - 1 - (step.slot % posts.length)]!
          let response
          switch (step.kind) {
            case 'post':
              response = await call(ctx.app, 'POST', '/careers/', user, { title: 't', content: 'c' })
              if (response.status === 201) posts.push(response.body.id as number)
              break
            case 'share-post':
              response = await call(ctx.app, 'POST', `/careers/${postId}/share-post/`, user, { title: 't', content: 'c' })
              if (response.status === 201) posts.push(response.body.id as number)
              break
            case 'comment':
              response = await call(ctx.app, 'POST', `/careers/${postId}/comment/`, user, { content: 'c' })
              if (response.status === 201) comments.push({ post: postId, id: (response.body as Json).id })
              break
            case 'uncomment': {
              const target = comments[step.nth % Math.max(comments.length, 1)]
              response = await call(ctx.app, 'DELETE', `/careers/${target?.post ?? postId}/comments/${target?.id ?? 1}/`, user)
              break
            }
            case 'delete':
              response = await call(ctx.app, 'DELETE', `/careers/${postId}/`, user)
              break
            case 'like':
            case 'share':
              response = await call(ctx.app, 'POST', `/careers/${postId}/${step.kind}/`, user)
              break
            case 'unlike':
            case 'unshare':
              response = await call(ctx.app, 'DELETE', `/careers/${postId}/${step.kind}/`, user)
              break
          }
          assert.ok(response.status < 500, `${step.kind}: ${response.status} ${response.raw.body}`)
        }
        assert.deepEqual(await counterMismatches(ctx.db), [])
      }),
      { numRuns: RUNS },
    )
  })
})
