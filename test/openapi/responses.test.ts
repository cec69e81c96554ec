import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PASSWORD, register, useTestApp } from '../helper.js'
import { openapiContract } from './contract.js'

const ctx = useTestApp()
const B = '/careers/users'
const json = { 'content-type': 'application/json' }

describe('every response matches the OpenAPI document', () => {
  it('a tour of every route, with its errors', async () => {
    const contract = await openapiContract(ctx.app)
    const send = contract.inject
    const reg = await send({
      method: 'POST',
      url: `${B}/register/`,
      payload: {
        username: 'tour_alice',
        email: 'tour_alice@example.com',
        password: PASSWORD,
        password_confirm: PASSWORD,
        avatar: 'https://example.com/a.png',
      },
    })
    assert.equal(reg.statusCode, 201)
    const bob = await register(ctx.app, { username: 'tour_bob' })
    const login = await send({ method: 'POST', url: `${B}/login/`, payload: { username: 'tour_alice', password: PASSWORD } })
    assert.equal(login.statusCode, 200)
    const { access, refresh } = login.json() as { access: string; refresh: string }
    const auth = { authorization: `Bearer ${access}` }
    const requests: [string, string, unknown?, Record<string, string>?][] = [
      ['POST', `${B}/register/`, {}],
      [
        'POST',
        `${B}/register/`,
        { username: 'tour_alice', email: 'x@example.com', password: PASSWORD, password_confirm: 'other' },
      ],
      ['POST', `${B}/login/`, { username: 'tour_alice', password: 'wrong-password' }],
      ['POST', `${B}/login/`, {}],
      ['POST', `${B}/token/refresh/`, { refresh }],
      ['POST', `${B}/token/refresh/`, { refresh: 'not-a-token' }],
      ['POST', `${B}/token/refresh/`, {}],
      ['GET', `${B}/?search=tour&ordering=-created_at&batch_size=10&batch_number=0`],
      ['GET', `${B}/?batch_size=x&ordering=nope`],
      ['GET', `${B}/`, undefined, auth],
      ['GET', `${B}/`, undefined, { authorization: 'Bearer broken' }],
      ['GET', `${B}/tour_alice/`],
      ['GET', `${B}/nobody_here/`],
      ['GET', `${B}/me/`, undefined, auth],
      ['GET', `${B}/me/`],
      ['PATCH', `${B}/me/update/`, { bio: 'Updated', avatar: null }, auth],
      ['PATCH', `${B}/me/update/`, { username: 'other' }, auth],
      ['POST', `${B}/follow/`, { following: bob.id }, auth],
      ['POST', `${B}/follow/`, { following: bob.id }, auth],
      ['POST', `${B}/follow/`, { following: 'x' }, auth],
      ['GET', `${B}/following/`, undefined, auth],
      ['GET', `${B}/following/?batch_size=0`, undefined, auth],
      ['GET', `${B}/tour_bob/followers/?batch_size=10`, undefined, auth],
      ['GET', `${B}/tour_alice/following/`],
      ['GET', `${B}/nobody_here/followers/`],
      ['GET', `${B}/me/followers/`],
      ['GET', `${B}/me/stats/`, undefined, auth],
      ['DELETE', `${B}/tour_bob/unfollow/`, undefined, auth],
      ['DELETE', `${B}/tour_bob/unfollow/`, undefined, auth],
      ['DELETE', `${B}/nobody_here/unfollow/`, undefined, auth],
      ['PUT', `${B}/me/update/`, {}, auth],
      ['GET', `${B}/login/`],
      ['DELETE', `${B}/register/`],
      ['GET', '/careers/nothing/'],
      ['GET', '/health'],
      ['GET', '/ready'],
      ['POST', `${B}/logout/`, { refresh: 'nope' }, auth],
      ['POST', `${B}/logout/`, { refresh }],
      ['POST', `${B}/logout/`, { refresh }, auth],
      ['GET', `${B}/me/`, undefined, auth],
    ]
    for (const [method, url, payload, headers] of requests) {
      await send({
        method: method as 'GET',
        url,
        headers: { ...(payload === undefined ? {} : json), ...headers },
        payload: payload as string,
      })
    }
    // Broken bodies: not JSON, not an object, the wrong media type, too large.
    await send({ method: 'POST', url: `${B}/login/`, headers: json, payload: '{broken' })
    await send({ method: 'POST', url: `${B}/login/`, headers: json, payload: '[1]' })
    await send({ method: 'POST', url: `${B}/login/`, headers: { 'content-type': 'text/plain' }, payload: 'hello' })
    await send({ method: 'POST', url: `${B}/register/`, headers: json, payload: JSON.stringify({ bio: 'x'.repeat(70 * 1024) }) })

    assert.deepEqual(contract.violations, [])
    // The posts routes have their own tour (posts-responses.test.ts).
    const operations = Object.values(
      contract.document.paths as Record<string, Record<string, { operationId: string; tags?: string[] }>>,
    )
      .flatMap((item) => Object.values(item))
      .filter((operation) => !operation.tags?.includes('posts'))
      .map((operation) => operation.operationId)
    assert.deepEqual(
      operations.filter((id) => !contract.seen.has(id)),
      [],
      'every documented operation was exercised',
    )
  })

  it('reports a response the document does not allow', async () => {
    const document = structuredClone(ctx.app.swagger()) as unknown as {
      components: { schemas: Record<string, { required: string[] }> }
    }
    document.components.schemas.Profile!.required.push('not_sent')
    const contract = await openapiContract(ctx.app, document as unknown as Record<string, unknown>)
    await register(ctx.app, { username: 'tour_carol' })
    await contract.inject({ method: 'GET', url: `${B}/tour_carol/` })
    await contract.inject({ method: 'POST', url: `${B}/login/`, headers: json, payload: '{"username":"a"}' })
    assert.equal(contract.violations.length, 1, contract.violations.join('\n'))
    assert.match(contract.violations[0]!, /not_sent/)
  })
})
