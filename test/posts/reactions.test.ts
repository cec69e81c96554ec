import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { keys, register, useTestApp } from '../helper.js'
import { assertCountersMatchRows, call, COMMENT_KEYS, getPost, ISO_Z, newPost, REACTION_KEYS, stats } from './posts.helpers.js'

const ctx = useTestApp()

describe('likes', () => {
  it('like → 201, again → 200, unlike → 204, again → 400; counts follow', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const post = await newPost(ctx.app, alice)
    const like = await call(ctx.app, 'POST', `/careers/${post.id}/like/`, bob)
    assert.equal(like.status, 201)
    assert.deepEqual(like.body, { message: 'Post liked successfully' })
    const again = await call(ctx.app, 'POST', `/careers/${post.id}/like`, bob)
    assert.equal(again.status, 200)
    assert.deepEqual(again.body, { message: 'Post already liked' })
    assert.equal((await call(ctx.app, 'POST', `/careers/${post.id}/like/`, alice)).status, 201)
    assert.equal((await getPost(ctx.app, post.id)).likes_count, 2)
    assert.equal((await stats(ctx.app, alice)).likes_received, 2)

    const unlike = await call(ctx.app, 'DELETE', `/careers/${post.id}/unlike/`, bob)
    assert.equal(unlike.status, 204)
    assert.equal(unlike.raw.body, '')
    const twice = await call(ctx.app, 'DELETE', `/careers/${post.id}/unlike/`, bob)
    assert.equal(twice.status, 400)
    assert.deepEqual(twice.body, { detail: 'You have not liked this post.' })
    assert.equal((await getPost(ctx.app, post.id)).likes_count, 1)
    assert.equal((await stats(ctx.app, alice)).likes_received, 1)
    await assertCountersMatchRows(ctx.db)
  })

  it('lists likes newest first, in batches', async () => {
    const alice = await register(ctx.app)
    const fans = [await register(ctx.app), await register(ctx.app), await register(ctx.app)]
    const post = await newPost(ctx.app, alice)
    for (const fan of fans) await call(ctx.app, 'POST', `/careers/${post.id}/like/`, fan)
    const list = await call(ctx.app, 'GET', `/careers/${post.id}/likes/?batch_size=2`)
    assert.equal(list.status, 200)
    assert.deepEqual(keys(list.body), ['batch_info', 'likes', 'message'])
    assert.equal(list.body.message, 'Likes retrieved successfully')
    assert.deepEqual(list.body.batch_info, {
      current_batch: 0,
      batch_size: 2,
      total_likes: 3,
      total_batches: 2,
      likes_in_current_batch: 2,
    })
    assert.deepEqual(keys(list.body.likes[0]), REACTION_KEYS)
    assert.deepEqual(
      list.body.likes.map((like: { username: string }) => like.username),
      [fans[2]!.username, fans[1]!.username],
    )
    assert.deepEqual(list.body.likes[0].post, post.id)
    assert.deepEqual(list.body.likes[0].user, fans[2]!.id)
    assert.match(list.body.likes[0].created_datetime, ISO_Z)
    const last = await call(ctx.app, 'GET', `/careers/${post.id}/likes/?batch_size=2&batch_number=1`)
    assert.equal(last.body.likes[0].username, fans[0]!.username)
    const past = await call(ctx.app, 'GET', `/careers/${post.id}/likes/?batch_number=5`)
    assert.deepEqual(past.body.likes, [])
    const bad = await call(ctx.app, 'GET', `/careers/${post.id}/likes/?batch_size=0&batch_number=x`)
    assert.equal(bad.status, 400)
    assert.deepEqual(keys(bad.body), ['batch_number', 'batch_size'])
  })

  it('404 for unknown posts, 401 without a token', async () => {
    const alice = await register(ctx.app)
    for (const [method, path] of [
      ['POST', 'like'],
      ['DELETE', 'unlike'],
      ['GET', 'likes'],
      ['POST', 'share'],
      ['DELETE', 'unshare'],
      ['GET', 'shares'],
      ['GET', 'comments'],
    ]) {
      const response = await call(ctx.app, method!, `/careers/424242/${path}/`, alice)
      assert.equal(response.status, 404, `${method} ${path}`)
      assert.deepEqual(response.body, { detail: 'Not found.' })
    }
    const post = await newPost(ctx.app, alice)
    for (const [method, path] of [
      ['POST', 'like'],
      ['DELETE', 'unlike'],
      ['POST', 'share'],
      ['DELETE', 'unshare'],
      ['POST', 'comment'],
    ]) {
      assert.equal((await call(ctx.app, method!, `/careers/${post.id}/${path}/`)).status, 401, path)
    }
  })
})

describe('shares', () => {
  it('share → 201, again → 200, unshare → 204, again → 400; list newest first', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const carol = await register(ctx.app)
    const post = await newPost(ctx.app, alice)
    const share = await call(ctx.app, 'POST', `/careers/${post.id}/share/`, bob)
    assert.equal(share.status, 201)
    assert.deepEqual(share.body, { message: 'Post shared successfully' })
    const again = await call(ctx.app, 'POST', `/careers/${post.id}/share/`, bob)
    assert.equal(again.status, 200)
    assert.deepEqual(again.body, { message: 'Post already shared' })
    await call(ctx.app, 'POST', `/careers/${post.id}/share/`, carol)
    assert.equal((await getPost(ctx.app, post.id)).shares_count, 2)
    const list = await call(ctx.app, 'GET', `/careers/${post.id}/shares/`)
    assert.equal(list.body.message, 'Shares retrieved successfully')
    assert.deepEqual(list.body.batch_info, {
      current_batch: 0,
      batch_size: 10,
      total_shares: 2,
      total_batches: 1,
      shares_in_current_batch: 2,
    })
    assert.deepEqual(keys(list.body.shares[0]), REACTION_KEYS)
    assert.equal(list.body.shares[0].username, carol.username)

    assert.equal((await call(ctx.app, 'DELETE', `/careers/${post.id}/unshare/`, bob)).status, 204)
    const twice = await call(ctx.app, 'DELETE', `/careers/${post.id}/unshare/`, bob)
    assert.equal(twice.status, 400)
    assert.deepEqual(twice.body, { detail: 'You have not shared this post.' })
    assert.equal((await getPost(ctx.app, post.id)).shares_count, 1)
    await assertCountersMatchRows(ctx.db)
  })
})

describe('comments', () => {
  it('comment → 201 Comment; list oldest first; counts follow', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const post = await newPost(ctx.app, alice)
    const first = await call(ctx.app, 'POST', `/careers/${post.id}/comment/`, bob, { content: '  First!  ' })
    assert.equal(first.status, 201)
    assert.deepEqual(keys(first.body), COMMENT_KEYS)
    assert.deepEqual(
      { ...first.body, id: 0, created_datetime: '' },
      { id: 0, post: post.id, user: bob.id, username: bob.username, content: 'First!', created_datetime: '' },
    )
    await call(ctx.app, 'POST', `/careers/${post.id}/comment/`, alice, { content: 'Second' })
    const list = await call(ctx.app, 'GET', `/careers/${post.id}/comments/`)
    assert.equal(list.body.message, 'Comments retrieved successfully')
    assert.deepEqual(
      list.body.comments.map((c: { content: string }) => c.content),
      ['First!', 'Second'],
    )
    assert.deepEqual(list.body.batch_info, {
      current_batch: 0,
      batch_size: 10,
      total_comments: 2,
      total_batches: 1,
      comments_in_current_batch: 2,
    })
    assert.equal((await getPost(ctx.app, post.id)).comments_count, 2)
    assert.equal((await stats(ctx.app, alice)).comments_received, 2)
  })

  it('validates content', async () => {
    const alice = await register(ctx.app)
    const post = await newPost(ctx.app, alice)
    const cases: [unknown, Record<string, string[]>][] = [
      [{}, { content: ['This field is required.'] }],
      [{ content: ' \n ' }, { content: ['This field may not be blank.'] }],
      [{ content: 'x'.repeat(1001) }, { content: ['Ensure this field has no more than 1000 characters.'] }],
      [{ content: 7 }, { content: ['Not a valid string.'] }],
    ]
    for (const [payload, expected] of cases) {
      const response = await call(ctx.app, 'POST', `/careers/${post.id}/comment/`, alice, payload)
      assert.equal(response.status, 400)
      assert.deepEqual(response.body, expected)
    }
    assert.equal((await call(ctx.app, 'POST', '/careers/999999/comment/', alice, { content: 'x' })).status, 404)
    assert.equal((await getPost(ctx.app, post.id)).comments_count, 0)
  })

  it("deleted by the comment's author or the post's author; 403 for anyone else; 404 for unknown or another post's", async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const carol = await register(ctx.app)
    const post = await newPost(ctx.app, alice)
    const other = await newPost(ctx.app, alice)
    const byBob = (await call(ctx.app, 'POST', `/careers/${post.id}/comment/`, bob, { content: 'one' })).body
    const byBob2 = (await call(ctx.app, 'POST', `/careers/${post.id}/comment/`, bob, { content: 'two' })).body
    const forbidden = await call(ctx.app, 'DELETE', `/careers/${post.id}/comments/${byBob.id}/`, carol)
    assert.equal(forbidden.status, 403)
    assert.deepEqual(keys(forbidden.body), ['detail'])
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${other.id}/comments/${byBob.id}/`, bob)).status, 404)
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${post.id}/comments/99999/`, bob)).status, 404)
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${post.id}/comments/abc/`, bob)).status, 404)
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${post.id}/comments/${byBob.id}/`)).status, 401)

    const own = await call(ctx.app, 'DELETE', `/careers/${post.id}/comments/${byBob.id}/`, bob)
    assert.equal(own.status, 204)
    assert.equal(own.raw.body, '')
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${post.id}/comments/${byBob2.id}`, alice)).status, 204)
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${post.id}/comments/${byBob2.id}/`, alice)).status, 404)
    assert.equal((await getPost(ctx.app, post.id)).comments_count, 0)
    assert.equal((await stats(ctx.app, alice)).comments_received, 0)
    await assertCountersMatchRows(ctx.db)
  })
})
