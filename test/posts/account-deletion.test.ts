import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inTransaction } from '../../src/db/transaction.js'
import { deleteUserContent } from '../../src/modules/posts/index.js'
import { register, useTestApp } from '../helper.js'
import { assertCountersMatchRows, call, getPost, newPost, stats } from './posts.helpers.js'

const ctx = useTestApp()

describe('deleteUserContent (for account deletion)', () => {
  it("removes the user's posts, likes, comments and shares, moving everyone else's counts exactly", async () => {
    const gone = await register(ctx.app)
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const goneOwn = await newPost(ctx.app, gone)
    const alicePost = await newPost(ctx.app, alice)
    const bobPost = await newPost(ctx.app, bob)
    // The leaving user's reactions on others' posts, and others' reactions on the leaving user's post.
    for (const [method, path, payload] of [
      ['POST', `/careers/${alicePost.id}/like/`],
      ['POST', `/careers/${alicePost.id}/comment/`, { content: 'one' }],
      ['POST', `/careers/${alicePost.id}/comment/`, { content: 'two' }],
      ['POST', `/careers/${alicePost.id}/share/`],
      ['POST', `/careers/${bobPost.id}/like/`],
      ['POST', `/careers/${bobPost.id}/share-post/`, { title: 'mine', content: 'x' }],
      ['POST', `/careers/${goneOwn.id}/like/`],
    ] as const) {
      assert.equal((await call(ctx.app, method, path, gone, payload)).status, 201, path)
    }
    await call(ctx.app, 'POST', `/careers/${goneOwn.id}/like/`, alice)
    await call(ctx.app, 'POST', `/careers/${goneOwn.id}/comment/`, bob, { content: 'hi' })
    await call(ctx.app, 'POST', `/careers/${alicePost.id}/like/`, bob)
    await call(ctx.app, 'POST', `/careers/${alicePost.id}/comment/`, bob, { content: 'b' })
    const aliceShare = await call(ctx.app, 'POST', `/careers/${goneOwn.id}/share-post/`, alice, { title: 'keep', content: 'me' })

    await inTransaction(ctx.db, async (trx) => {
      await deleteUserContent(trx, gone.id)
      await trx.deleteFrom('users').where('id', '=', gone.id).execute()
    })

    const a = await getPost(ctx.app, alicePost.id)
    assert.deepEqual([a.likes_count, a.comments_count, a.shares_count], [1, 1, 0])
    const b = await getPost(ctx.app, bobPost.id)
    assert.deepEqual([b.likes_count, b.comments_count, b.shares_count], [0, 0, 0])
    assert.equal((await call(ctx.app, 'GET', `/careers/${goneOwn.id}/`)).status, 404)
    const share = await getPost(ctx.app, aliceShare.body.id)
    assert.deepEqual([share.post_type, share.original_post], ['share', null])
    assert.deepEqual(await stats(ctx.app, alice), {
      posts_count: 2,
      followers_count: 0,
      following_count: 0,
      likes_received: 1,
      comments_received: 1,
    })
    assert.deepEqual(await stats(ctx.app, bob), {
      posts_count: 1,
      followers_count: 0,
      following_count: 0,
      likes_received: 0,
      comments_received: 0,
    })
    const likes = await call(ctx.app, 'GET', `/careers/${alicePost.id}/likes/`)
    assert.deepEqual(
      likes.body.likes.map((like: { user: number }) => like.user),
      [bob.id],
    )
    await assertCountersMatchRows(ctx.db)
  })

  it('rolls back with the transaction that called it', async () => {
    const gone = await register(ctx.app)
    const alice = await register(ctx.app)
    const post = await newPost(ctx.app, alice)
    await call(ctx.app, 'POST', `/careers/${post.id}/like/`, gone)
    await assert.rejects(
      inTransaction(ctx.db, async (trx) => {
        await deleteUserContent(trx, gone.id)
        throw new Error('abort')
      }),
      /abort/,
    )
    assert.equal((await getPost(ctx.app, post.id)).likes_count, 1)
    assert.equal((await stats(ctx.app, alice)).likes_received, 1)
    await assertCountersMatchRows(ctx.db)
  })
})
