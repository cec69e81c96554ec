import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { register, useTestApp } from '../helper.js'
import { openapiContract } from './contract.js'

const ctx = useTestApp()
const P = '/careers'
const json = { 'content-type': 'application/json' }

type Step = [method: string, url: string, status: number, payload?: unknown, headers?: Record<string, string>]

describe('every posts response matches the OpenAPI document', () => {
  it('a tour of every posts route, with its 400/401/403/404 answers', async () => {
    const contract = await openapiContract(ctx.app)
    const alice = await register(ctx.app, { username: 'ptour_alice' })
    const bob = await register(ctx.app, { username: 'ptour_bob' })
    const send = async ([method, url, status, payload, headers]: Step): Promise<unknown> => {
      const response = await contract.inject({
        method: method as 'GET',
        url,
        headers: { ...(payload === undefined ? {} : json), ...headers },
        payload: payload as string,
      })
      assert.equal(response.statusCode, status, `${method} ${url}: ${response.body}`)
      return response.body === '' ? null : response.json()
    }

    const post = (await send(['POST', `${P}/create/`, 201, { title: 'Hiring', content: 'Backend engineer' }, alice.auth])) as {
      id: number
    }
    await send(['POST', `${P}/`, 201, { title: 'Second', content: 'Another', username: 'PTOUR_ALICE' }, alice.auth])
    const id = post.id
    const comment = (await send(['POST', `${P}/${id}/comment/`, 201, { content: 'Congratulations!' }, bob.auth])) as {
      id: number
    }
    const steps: Step[] = [
      ['POST', `${P}/create/`, 400, { title: ' ', content: 'x'.repeat(5001) }, alice.auth],
      ['POST', `${P}/`, 400, { title: 'a', content: 'b', username: 'ptour_bob' }, alice.auth],
      ['POST', `${P}/create/`, 401, { title: 'a', content: 'b' }],
      ['GET', `${P}/?username=ptour_alice,ptour_bob&search=hir&ordering=-likes_count&batch_size=10&batch_number=0`, 200],
      ['GET', `${P}/`, 200, undefined, bob.auth],
      ['GET', `${P}/?ordering=title&batch_size=0`, 400],
      ['GET', `${P}/`, 401, undefined, { authorization: 'Bearer broken' }],
      ['GET', `${P}/${id}/`, 200, undefined, bob.auth],
      ['GET', `${P}/999999/`, 404],
      ['GET', `${P}/abc/`, 404],
      ['PATCH', `${P}/${id}/`, 200, { title: 'Hiring now' }, alice.auth],
      ['PATCH', `${P}/${id}/`, 400, { username: 'x' }, alice.auth],
      ['PATCH', `${P}/${id}/`, 403, { title: 'Mine now' }, bob.auth],
      ['PATCH', `${P}/999999/`, 404, { title: 'x' }, alice.auth],
      ['PATCH', `${P}/${id}/`, 401, { title: 'x' }],
      ['POST', `${P}/${id}/like/`, 201, undefined, bob.auth],
      ['POST', `${P}/${id}/like/`, 200, undefined, bob.auth],
      ['POST', `${P}/999999/like/`, 404, undefined, bob.auth],
      ['POST', `${P}/${id}/like/`, 401],
      ['GET', `${P}/${id}/likes/?batch_size=10&batch_number=0`, 200],
      ['GET', `${P}/${id}/likes/?batch_number=-1`, 400],
      ['GET', `${P}/999999/likes/`, 404],
      ['DELETE', `${P}/${id}/unlike/`, 204, undefined, bob.auth],
      ['DELETE', `${P}/${id}/unlike/`, 400, undefined, bob.auth],
      ['DELETE', `${P}/999999/unlike/`, 404, undefined, bob.auth],
      ['POST', `${P}/${id}/share/`, 201, undefined, bob.auth],
      ['POST', `${P}/${id}/share/`, 200, undefined, bob.auth],
      ['GET', `${P}/${id}/shares/`, 200],
      ['DELETE', `${P}/${id}/unshare/`, 204, undefined, bob.auth],
      ['DELETE', `${P}/${id}/unshare/`, 400, undefined, bob.auth],
      ['GET', `${P}/${id}/comments/?batch_size=10`, 200],
      ['GET', `${P}/999999/comments/`, 404],
      ['POST', `${P}/${id}/comment/`, 400, { content: '' }, bob.auth],
      ['POST', `${P}/999999/comment/`, 404, { content: 'x' }, bob.auth],
      [
        'DELETE',
        `${P}/${id}/comments/${comment.id}/`,
        403,
        undefined,
        (await register(ctx.app, { username: 'ptour_carol' })).auth,
      ],
      ['DELETE', `${P}/${id}/comments/999999/`, 404, undefined, alice.auth],
      ['DELETE', `${P}/${id}/comments/${comment.id}/`, 204, undefined, alice.auth],
      ['POST', `${P}/${id}/share-post/`, 201, { title: 'Worth a read', content: 'Great team' }, bob.auth],
      ['POST', `${P}/${id}/share-post/`, 400, { title: '' }, bob.auth],
      ['POST', `${P}/999999/share-post/`, 404, { title: 'a', content: 'b' }, bob.auth],
      ['GET', `${P}/users/me/feed/?batch_size=10&batch_number=0`, 200, undefined, bob.auth],
      ['GET', `${P}/users/me/feed/?batch_size=x`, 400, undefined, bob.auth],
      ['GET', `${P}/users/me/feed/`, 401],
      ['DELETE', `${P}/${id}/`, 403, undefined, bob.auth],
      ['DELETE', `${P}/${id}/`, 204, undefined, alice.auth],
      ['DELETE', `${P}/${id}/`, 404, undefined, alice.auth],
      ['PUT', `${P}/${id}/`, 405, {}, alice.auth],
    ]
    for (const step of steps) await send(step)
    await send(['POST', `${P}/create/`, 415, undefined, { ...alice.auth, 'content-type': 'text/plain' }])

    assert.deepEqual(contract.violations, [])
    const postsOperations = Object.values(
      contract.document.paths as Record<string, Record<string, { operationId: string; tags?: string[] }>>,
    )
      .flatMap((item) => Object.values(item))
      .filter((operation) => operation.tags?.includes('posts'))
      .map((operation) => operation.operationId)
    assert.ok(postsOperations.length >= 17, `${postsOperations.length} posts operations`)
    assert.deepEqual(
      postsOperations.filter((operationId) => !contract.seen.has(operationId)),
      [],
      'every posts operation was exercised',
    )
  })
})
