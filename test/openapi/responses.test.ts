import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildTestApp, login as logIn, PASSWORD, register, useTestApp } from '../support/index.js'
import { openapiContract } from './contract.js'

const ctx = useTestApp()
const B = '/careers/users'
const json = { 'content-type': 'application/json' }
const NEW = 'a-new-password'
type Json = Record<string, unknown>

/** The session id (`sid`) of a token. */
function sessionOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid
}

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

    // The account routes, on an account of their own (they end sessions and delete it), each with its status.
    const dave = await register(ctx.app, { username: 'tour_dave' })
    const daveAuth = { authorization: `Bearer ${(await logIn(ctx.app, dave)).access}` }
    const account: [string, string, number, unknown?, Record<string, string>?][] = [
      ['GET', `${B}/tour_dave/stats/`, 200],
      ['GET', `${B}/me/stats/`, 200, undefined, dave.auth],
      ['GET', `${B}/nobody_here/stats/`, 404],
      ['GET', `${B}/tour_dave/stats/`, 401, undefined, { authorization: 'Bearer broken' }],
      ['GET', `${B}/me/sessions/`, 200, undefined, daveAuth],
      ['GET', `${B}/me/sessions/`, 401],
      ['DELETE', `${B}/me/sessions/no-such-session/`, 404, undefined, daveAuth],
      ['DELETE', `${B}/me/sessions/${sessionOf(dave.access)}/`, 200, undefined, daveAuth],
      ['DELETE', `${B}/me/sessions/${sessionOf(dave.access)}/`, 404, undefined, daveAuth],
      ['DELETE', `${B}/me/sessions/x/`, 401],
      [
        'POST',
        `${B}/me/password/`,
        400,
        { old_password: 'wrong-password', new_password: 'b', new_password_confirm: 'c' },
        daveAuth,
      ],
      ['POST', `${B}/me/password/`, 400, {}, daveAuth],
      ['POST', `${B}/me/password/`, 200, { old_password: PASSWORD, new_password: NEW, new_password_confirm: NEW }, daveAuth],
      ['POST', `${B}/me/password/`, 401, {}],
      ['POST', `${B}/logout/all/`, 401],
      ['DELETE', `${B}/me/`, 400, { password: PASSWORD }, daveAuth],
      ['DELETE', `${B}/me/`, 400, {}, daveAuth],
      ['DELETE', `${B}/me/`, 401, { password: NEW }],
      ['POST', `${B}/logout/all/`, 200, undefined, daveAuth],
      ['GET', `${B}/me/sessions/`, 401, undefined, daveAuth],
    ]
    for (const [method, url, status, payload, headers] of account) {
      const response = await send({
        method: method as 'GET',
        url,
        headers: { ...(payload === undefined ? {} : json), ...headers },
        payload: payload as string,
      })
      assert.equal(response.statusCode, status, `${method} ${url}: ${response.body}`)
    }
    const again = await logIn(ctx.app, dave, NEW)
    await send({ method: 'DELETE', url: `${B}/me/`, headers: { 'content-type': 'text/plain', ...again.auth }, payload: 'x' })
    const deleted = await send({
      method: 'DELETE',
      url: `${B}/me/`,
      headers: { ...json, ...again.auth },
      payload: { password: NEW },
    })
    assert.equal(deleted.statusCode, 204)
    assert.equal(deleted.body, '')
    assert.equal((await send({ method: 'GET', url: `${B}/tour_dave/stats/` })).statusCode, 404)

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

  it('429 on login and register, with Retry-After, as documented', async (t) => {
    const throttled = await buildTestApp({ LOGINS_PER_IP: '1/15m', REGISTRATIONS_PER_IP: '1/1h' })
    t.after(() => throttled.close())
    const contract = await openapiContract(throttled.app)
    for (const [path, payload] of [
      ['login', { username: 'nobody', password: 'wrong-password' }],
      ['register', { username: 'tour_erin', email: 'e@example.com', password: PASSWORD, password_confirm: PASSWORD }],
    ] as const) {
      const statuses: number[] = []
      for (let i = 0; i < 2; i += 1) {
        const response = await contract.inject({ method: 'POST', url: `${B}/${path}/`, payload })
        statuses.push(response.statusCode)
        if (response.statusCode === 429) assert.match(String(response.headers['retry-after']), /^[1-9]\d*$/)
      }
      assert.deepEqual(statuses, [path === 'login' ? 401 : 201, 429])
      const documented = (contract.document.paths as Record<string, Record<string, { responses: Record<string, Json> }>>)[
        `${B}/${path}/`
      ]!.post!.responses['429']!
      assert.ok((documented.headers as Json)['Retry-After'], `Retry-After documented on ${path}`)
    }
    assert.deepEqual(contract.violations, [])
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
