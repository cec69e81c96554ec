import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createCareersClient, type paths, type Schemas } from '../../client/src/index.js'
import { buildTestApp, PASSWORD, type TestApp } from '../helper.js'

// The generated client (client/) against the service on a real socket.
let ctx: TestApp
let base: string
before(async () => {
  ctx = await buildTestApp({ ACCESS_TOKEN_TTL: '2s' })
  base = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
})
after(async () => ctx.close())

const body = (username: string) => ({
  username,
  email: `${username}@example.com`,
  password: PASSWORD,
  password_confirm: PASSWORD,
})

describe('the typed client', () => {
  it('registers, logs in, refreshes on 401, follows, lists with batch_size 10, posts and likes', async () => {
    const alice = createCareersClient(base)
    const bob = createCareersClient(base)
    await alice.register(body('client_alice'))
    const bobUser: Schemas['User'] = (await bob.register(body('client_bob'))).user
    const login = await alice.login('client_alice', PASSWORD)
    assert.equal(login.user.username, 'client_alice')

    // The access token expires (2 s here): the next call answers 401 once, the client refreshes and repeats it.
    const stale = alice.tokens!.access
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const followed = await alice.api.POST('/careers/users/follow/', { body: { following: bobUser.id } })
    assert.equal(followed.response.status, 201)
    assert.equal(followed.data?.following_username, 'client_bob')
    assert.notEqual(alice.tokens!.access, stale, 'the access token was renewed')

    const list = await alice.api.GET('/careers/users/', {
      params: { query: { batch_size: 10, ordering: '-created_at', search: 'client_' } },
    })
    assert.equal(list.response.status, 200)
    assert.deepEqual(
      list.data?.users.map((user) => [user.username, user.is_following]),
      [
        ['client_bob', true],
        ['client_alice', false],
      ],
    )
    assert.equal(list.data?.batch_info.batch_size, 10)

    const followers = await bob.api.GET('/careers/users/{username}/followers/', { params: { path: { username: 'me' } } })
    assert.deepEqual(
      followers.data?.results.map((user) => user.username),
      ['client_alice'],
    )

    const refused = await alice.api.GET('/careers/users/{username}/', { params: { path: { username: 'nobody_here' } } })
    assert.equal(refused.response.status, 404)
    assert.equal(refused.error?.detail, 'Not found.')

    // A post by bob, liked by alice, listed with batch_size 10 (path ids and batch params typed as numbers).
    const created = await bob.api.POST('/careers/create/', { body: { title: 'Hiring', content: 'Backend engineer' } })
    assert.equal(created.response.status, 201)
    const post: Schemas['Post'] = created.data!
    assert.deepEqual([post.username, post.post_type, post.original_post, post.likes_count], ['client_bob', 'post', null, 0])
    const liked = await alice.api.POST('/careers/{id}/like/', { params: { path: { id: post.id } } })
    assert.equal(liked.response.status, 201)
    assert.equal(liked.data?.message, 'Post liked successfully')
    const posts = await alice.api.GET('/careers/', {
      params: { query: { username: 'client_bob', batch_size: 10, ordering: '-likes_count' } },
    })
    assert.equal(posts.response.status, 200)
    assert.deepEqual(
      posts.data?.posts.map((item) => [item.id, item.likes_count, item.is_liked]),
      [[post.id, 1, true]],
    )
    assert.deepEqual(posts.data?.batch_info, {
      current_batch: 0,
      batch_size: 10,
      total_posts: 1,
      total_batches: 1,
      posts_in_current_batch: 1,
    })
    const forbidden = await alice.api.DELETE('/careers/{id}/', { params: { path: { id: post.id } } })
    assert.equal(forbidden.response.status, 403)
    assert.equal(forbidden.error?.detail, 'You can only delete your own posts.')
  })

  it('types: batch_size is a number, ordering an enum, named schemas, typed errors', () => {
    type UsersQuery = NonNullable<paths['/careers/users/']['get']['parameters']['query']>
    const good: UsersQuery = { batch_size: 10, batch_number: 0, ordering: '-created_at' }
    // @ts-expect-error batch_size is typed as a number, not a string
    const wrongSize: UsersQuery = { batch_size: '10' }
    // @ts-expect-error ordering is an enum
    const wrongOrdering: UsersQuery = { ordering: 'foo' }
    const fieldErrors: Schemas['FieldErrors'] = { email: ['Enter a valid email address.'] }
    // @ts-expect-error field errors are lists of strings
    const wrongErrors: Schemas['FieldErrors'] = { email: 'Enter a valid email address.' }
    type PostsQuery = NonNullable<paths['/careers/']['get']['parameters']['query']>
    const goodPosts: PostsQuery = { batch_size: 10, ordering: '-likes_count' }
    // @ts-expect-error posts ordering is an enum of its own
    const wrongPostsOrdering: PostsQuery = { ordering: '-created_at' }
    const named: (keyof Schemas)[] = [
      'User',
      'Profile',
      'MyProfile',
      'UserSummary',
      'UserList',
      'BatchInfo',
      'Follow',
      'FollowList',
      'Post',
      'PostList',
      'PostBatchInfo',
      'Like',
      'LikeList',
      'Comment',
      'CommentList',
      'Share',
      'ShareList',
    ]
    assert.ok(
      good && wrongSize && wrongOrdering && fieldErrors && wrongErrors && goodPosts && wrongPostsOrdering && named.length > 0,
    )
  })
})
