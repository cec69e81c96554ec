import { describe, it } from 'node:test'
import fc from 'fast-check'
import { authHeaders, fuzzRoute, queryString, segmentOf, useFuzzCast, useTestApp } from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'

describe('fuzz: no input makes any route answer 5xx', () => {
  const cast = useFuzzCast(ctx)

  it('GET the users list with arbitrary query strings', async () => {
    await fuzzRoute(ctx.app, fc.tuple(queryString, authHeaders(cast), fc.boolean()), ([query, headers, slash]) => ({
      method: 'GET',
      url: `${BASE}${slash ? '/' : ''}${query}`,
      headers,
    }))
  })

  it('GET {username}/, {username}/followers/, {username}/following/', async () => {
    const segment = segmentOf([cast.main.username, cast.main.username.toUpperCase(), cast.other.username, cast.target.username])
    const suffix = fc.constantFrom('/', '/followers/', '/following/', '/followers', '/following')
    await fuzzRoute(ctx.app, fc.tuple(segment, suffix, queryString, authHeaders(cast)), ([name, tail, query, headers]) => ({
      method: 'GET',
      url: `${BASE}/${name}${tail}${query}`,
      headers,
    }))
  })

  it('GET me/, me/stats/, following/ with arbitrary tokens and query strings', async () => {
    const path = fc.constantFrom('/me/', '/me/stats/', '/following/', '/me', '/following')
    await fuzzRoute(ctx.app, fc.tuple(path, queryString, authHeaders(cast)), ([route, query, headers]) => ({
      method: 'GET',
      url: `${BASE}${route}${query}`,
      headers,
    }))
  })
})
