import assert from 'node:assert/strict'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Account } from './accounts.js'

// The follow graph through HTTP, for the suites that build one.
export const USERS = '/careers/users'

export type Side = 'followers' | 'following'

export function follow(app: FastifyInstance, who: Account, following: unknown): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `${USERS}/follow/`, headers: who.auth, payload: { following } })
}

/** Follows and asserts the 201; returns the follow object. */
export async function followOk(app: FastifyInstance, who: Account, target: { id: number }): Promise<Record<string, unknown>> {
  const response = await follow(app, who, target.id)
  assert.equal(response.statusCode, 201, response.body)
  return response.json()
}

export function unfollow(app: FastifyInstance, who: Account, username: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'DELETE', url: `${USERS}/${username}/unfollow/`, headers: who.auth })
}

/** GET {username}/followers/ or /following/, as `viewer` (anonymous when absent). */
export function connections(
  app: FastifyInstance,
  username: string,
  side: Side,
  viewer?: Account,
  query = '',
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: `${USERS}/${username}/${side}/${query}`, headers: viewer?.auth ?? {} })
}

/** GET following/ (my follows, as follow objects). */
export function myFollowing(app: FastifyInstance, who: Account, query = ''): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: `${USERS}/following/${query}`, headers: who.auth })
}

export interface Counts {
  followers: number
  following: number
}

export async function profileCounts(app: FastifyInstance, username: string): Promise<Counts> {
  const response = await app.inject({ method: 'GET', url: `${USERS}/${username}/` })
  assert.equal(response.statusCode, 200)
  const { followers_count, following_count } = response.json()
  return { followers: followers_count, following: following_count }
}

export async function statsCounts(app: FastifyInstance, who: Account): Promise<Counts> {
  const response = await app.inject({ method: 'GET', url: `${USERS}/me/stats/`, headers: who.auth })
  assert.equal(response.statusCode, 200)
  const { followers_count, following_count } = response.json()
  return { followers: followers_count, following: following_count }
}

/** Both views of a user's counts (public profile and own stats) must agree; returns them. */
export async function counts(app: FastifyInstance, who: Account): Promise<Counts> {
  const fromProfile = await profileCounts(app, who.username)
  assert.deepEqual(await statsCounts(app, who), fromProfile, 'profile and stats agree')
  return fromProfile
}

/** The three paged follow lists, each seen as "the ids of the other side, newest follow first". */
export interface PagedList {
  name: string
  get(query: string): Promise<LightMyRequestResponse>
  idOf(item: Record<string, unknown>): number
}

export function pagedLists(app: FastifyInstance, hub: Account): PagedList[] {
  return [
    {
      name: 'GET /careers/users/following/',
      get: (query) => myFollowing(app, hub, query),
      idOf: (item) => Number(item.following),
    },
    {
      name: 'GET /careers/users/{username}/followers/',
      get: (query) => connections(app, hub.username, 'followers', undefined, query),
      idOf: (item) => Number(item.id),
    },
    {
      name: 'GET /careers/users/{username}/following/',
      get: (query) => connections(app, hub.username, 'following', undefined, query),
      idOf: (item) => Number(item.id),
    },
  ]
}
