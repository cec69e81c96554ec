import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { keys, register, uniqueName, useTestApp } from '../helper.js'
import { assertCountersMatchRows, assertPostShape, call, getPost, newPost, stats } from './posts.helpers.js'

const ctx = useTestApp()

describe('POST /careers/create/ and POST /careers/', () => {
  it('creates a post as the caller, trimmed, with the exact shape', async () => {
    const alice = await register(ctx.app)
    for (const url of ['/careers/create/', '/careers/', '/careers', '/careers/create']) {
      const response = await call(ctx.app, 'POST', url, alice, { title: '  Hello  ', content: ' World ' })
      assert.equal(response.status, 201, response.raw.body)
      assertPostShape(response.body)
      assert.deepEqual(
        { ...response.body, id: 0, created_datetime: '' },
        {
          id: 0,
          username: alice.username,
          title: 'Hello',
          content: 'World',
          created_datetime: '',
          post_type: 'post',
          original_post: null,
          likes_count: 0,
          comments_count: 0,
          shares_count: 0,
          is_liked: false,
        },
      )
    }
    assert.equal((await stats(ctx.app, alice)).posts_count, 4)
    const profile = await call(ctx.app, 'GET', `/careers/users/${alice.username}/`)
    assert.equal(profile.body.posts_count, 4)
  })

  it('accepts username when it is the caller (any case), refuses another', async () => {
    const alice = await register(ctx.app)
    const ok = await call(ctx.app, 'POST', '/careers/create/', alice, {
      title: 't',
      content: 'c',
      username: alice.username.toUpperCase(),
    })
    assert.equal(ok.status, 201)
    const bad = await call(ctx.app, 'POST', '/careers/create/', alice, { title: 't', content: 'c', username: 'someoneelse' })
    assert.equal(bad.status, 400)
    assert.deepEqual(keys(bad.body), ['username'])
  })

  it('validates title and content as DRF does', async () => {
    const alice = await register(ctx.app)
    const cases: [unknown, Record<string, string[]>][] = [
      [{}, { title: ['This field is required.'], content: ['This field is required.'] }],
      [
        { title: '   ', content: '' },
        { title: ['This field may not be blank.'], content: ['This field may not be blank.'] },
      ],
      [
        { title: 'x'.repeat(201), content: 'y'.repeat(5001) },
        {
          title: ['Ensure this field has no more than 200 characters.'],
          content: ['Ensure this field has no more than 5000 characters.'],
        },
      ],
      [
        { title: 5, content: null },
        { title: ['Not a valid string.'], content: ['This field may not be null.'] },
      ],
      // What Python's str.strip() removes and JavaScript's trim() keeps.
      [
        { title: '\u001c\u001f\u0085', content: '\u0085 \u3000' },
        { title: ['This field may not be blank.'], content: ['This field may not be blank.'] },
      ],
    ]
    for (const [payload, expected] of cases) {
      const response = await call(ctx.app, 'POST', '/careers/create/', alice, payload)
      assert.equal(response.status, 400, JSON.stringify(payload))
      assert.deepEqual(response.body, expected)
    }
    const edge = await call(ctx.app, 'POST', '/careers/create/', alice, {
      title: ` ${'x'.repeat(200)} `,
      content: 'y'.repeat(5000),
    })
    assert.equal(edge.status, 201)
    assert.equal((await stats(ctx.app, alice)).posts_count, 1)
  })

  it('needs a token', async () => {
    const response = await call(ctx.app, 'POST', '/careers/create/', undefined, { title: 't', content: 'c' })
    assert.equal(response.status, 401)
    assert.deepEqual(response.body, { detail: 'Authentication credentials were not provided.' })
  })
})

describe('GET /careers/{id}/', () => {
  it('answers the post; personalises is_liked', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const post = await newPost(ctx.app, alice)
    assert.equal((await call(ctx.app, 'POST', `/careers/${post.id}/like/`, bob)).status, 201)
    const anonymous = await getPost(ctx.app, post.id)
    assertPostShape(anonymous)
    assert.equal(anonymous.is_liked, false)
    assert.equal(anonymous.likes_count, 1)
    assert.equal((await getPost(ctx.app, post.id, bob)).is_liked, true)
    assert.equal((await getPost(ctx.app, post.id, alice)).is_liked, false)
  })

  it('404 for unknown, non-integer, zero, negative or too large ids', async () => {
    for (const id of ['999999', 'abc', '0', '-1', '1.5', '2147483648', '99999999999999999999', '1e3', '%20']) {
      const response = await call(ctx.app, 'GET', `/careers/${id}/`)
      assert.equal(response.status, 404, id)
      assert.deepEqual(response.body, { detail: 'Not found.' })
    }
  })
})

describe('PATCH /careers/{id}/', () => {
  it('lets the author change any subset', async () => {
    const alice = await register(ctx.app)
    const post = await newPost(ctx.app, alice, { title: 'Old', content: 'Old content' })
    const response = await call(ctx.app, 'PATCH', `/careers/${post.id}/`, alice, { title: ' New ' })
    assert.equal(response.status, 200)
    assertPostShape(response.body)
    assert.equal(response.body.title, 'New')
    assert.equal(response.body.content, 'Old content')
    const both = await call(ctx.app, 'PATCH', `/careers/${post.id}`, alice, { title: 'T2', content: 'C2' })
    assert.deepEqual([both.body.title, both.body.content], ['T2', 'C2'])
  })

  it('refuses other keys and bad values, changing nothing', async () => {
    const alice = await register(ctx.app)
    const post = await newPost(ctx.app, alice, { title: 'Keep' })
    const other = await call(ctx.app, 'PATCH', `/careers/${post.id}/`, alice, { title: 'Changed', likes_count: 9, username: 'x' })
    assert.equal(other.status, 400)
    assert.deepEqual(other.body, {
      likes_count: ['This field cannot be changed here.'],
      username: ['This field cannot be changed here.'],
    })
    const blank = await call(ctx.app, 'PATCH', `/careers/${post.id}/`, alice, { title: ' ' })
    assert.deepEqual(blank.body, { title: ['This field may not be blank.'] })
    assert.equal((await getPost(ctx.app, post.id)).title, 'Keep')
  })

  it('403 for another user, 401 without a token, 404 for unknown', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const post = await newPost(ctx.app, alice, { title: 'Mine' })
    const response = await call(ctx.app, 'PATCH', `/careers/${post.id}/`, bob, { title: 'Stolen' })
    assert.equal(response.status, 403)
    assert.deepEqual(response.body, { detail: 'You can only edit your own posts.' })
    assert.equal((await call(ctx.app, 'PATCH', `/careers/${post.id}/`, undefined, { title: 'x' })).status, 401)
    assert.equal((await call(ctx.app, 'PATCH', '/careers/2147483647/', bob, { title: 'x' })).status, 404)
    assert.equal((await getPost(ctx.app, post.id)).title, 'Mine')
  })

  it('finds the post and checks the author before it reads the body, as DRF does', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const post = await newPost(ctx.app, alice, { title: 'Mine' })
    const invalid = { title: '', username: 'x' }
    const foreign = await call(ctx.app, 'PATCH', `/careers/${post.id}/`, bob, invalid)
    assert.equal(foreign.status, 403)
    assert.deepEqual(foreign.body, { detail: 'You can only edit your own posts.' })
    for (const id of ['abc', '0', '2147483647']) {
      const missing = await call(ctx.app, 'PATCH', `/careers/${id}/`, alice, invalid)
      assert.deepEqual([missing.status, missing.body], [404, { detail: 'Not found.' }], id)
      assert.equal((await call(ctx.app, 'POST', `/careers/${id}/share-post/`, bob, {})).status, 404, id)
      assert.equal((await call(ctx.app, 'POST', `/careers/${id}/comment/`, bob, { content: '' })).status, 404, id)
    }
    const own = await call(ctx.app, 'PATCH', `/careers/${post.id}/`, alice, invalid)
    assert.deepEqual(own.body, { title: ['This field may not be blank.'], username: ['This field cannot be changed here.'] })
  })
})

describe('DELETE /careers/{id}/', () => {
  it('deletes with its likes, comments and shares, moving every count; share-posts stay', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const carol = await register(ctx.app)
    const post = await newPost(ctx.app, alice)
    const kept = await newPost(ctx.app, alice)
    for (const who of [alice, bob, carol])
      assert.equal((await call(ctx.app, 'POST', `/careers/${post.id}/like/`, who)).status, 201)
    await call(ctx.app, 'POST', `/careers/${kept.id}/like/`, bob)
    await call(ctx.app, 'POST', `/careers/${post.id}/comment/`, bob, { content: 'hi' })
    await call(ctx.app, 'POST', `/careers/${kept.id}/comment/`, carol, { content: 'hi' })
    await call(ctx.app, 'POST', `/careers/${post.id}/share/`, carol)
    const share = await call(ctx.app, 'POST', `/careers/${post.id}/share-post/`, bob, { title: 'Look', content: 'at this' })
    assert.deepEqual(await stats(ctx.app, alice), {
      posts_count: 2,
      followers_count: 0,
      following_count: 0,
      likes_received: 4,
      comments_received: 2,
    })

    const forbidden = await call(ctx.app, 'DELETE', `/careers/${post.id}/`, bob)
    assert.equal(forbidden.status, 403)
    assert.deepEqual(forbidden.body, { detail: 'You can only delete your own posts.' })

    const response = await call(ctx.app, 'DELETE', `/careers/${post.id}/`, alice)
    assert.equal(response.status, 204)
    assert.equal(response.raw.body, '')
    assert.equal((await call(ctx.app, 'GET', `/careers/${post.id}/`)).status, 404)
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${post.id}/`, alice)).status, 404)
    assert.deepEqual(await stats(ctx.app, alice), {
      posts_count: 1,
      followers_count: 0,
      following_count: 0,
      likes_received: 1,
      comments_received: 1,
    })
    const sharePost = await getPost(ctx.app, share.body.id)
    assert.deepEqual([sharePost.post_type, sharePost.original_post], ['share', null])
    assert.equal((await stats(ctx.app, bob)).posts_count, 1)
    await assertCountersMatchRows(ctx.db)
  })

  it('needs a token', async () => {
    const alice = await register(ctx.app)
    const post = await newPost(ctx.app, alice)
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${post.id}/`)).status, 401)
    assert.equal((await call(ctx.app, 'DELETE', '/careers/abc/', alice)).status, 404)
  })
})

describe('POST /careers/{id}/share-post/', () => {
  it('creates a share-post pointing at the root original', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const carol = await register(ctx.app, { username: uniqueName('carol') })
    const original = await newPost(ctx.app, alice)
    const first = await call(ctx.app, 'POST', `/careers/${original.id}/share-post/`, bob, { title: ' Re ', content: 'Shared' })
    assert.equal(first.status, 201)
    assertPostShape(first.body)
    assert.deepEqual(
      [first.body.username, first.body.title, first.body.post_type, first.body.original_post],
      [bob.username, 'Re', 'share', original.id],
    )
    const second = await call(ctx.app, 'POST', `/careers/${first.body.id}/share-post/`, carol, { title: 'Re re', content: 'x' })
    assert.equal(second.body.original_post, original.id)
    assert.equal((await stats(ctx.app, carol)).posts_count, 1)
    const invalid = await call(ctx.app, 'POST', `/careers/${original.id}/share-post/`, bob, { title: '' })
    assert.deepEqual(invalid.body, { title: ['This field may not be blank.'], content: ['This field is required.'] })
    assert.equal((await call(ctx.app, 'POST', '/careers/999999/share-post/', bob, { title: 't', content: 'c' })).status, 404)
    assert.equal(
      (await call(ctx.app, 'POST', `/careers/${original.id}/share-post/`, undefined, { title: 't', content: 'c' })).status,
      401,
    )
  })
})
