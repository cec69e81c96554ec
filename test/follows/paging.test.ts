import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  assertFieldError,
  assertNoEmail,
  followOk,
  keys,
  pagedLists,
  register,
  setActive,
  useTestApp,
  type Account,
} from '../support/index.js'

const ctx = useTestApp()

describe('paging of the follow lists', () => {
  // The hub follows five users and is followed by the same five, in order; newest first is the reverse.
  let hub: Account
  let others: Account[]
  let newestFirst: number[]

  before(async () => {
    hub = await register(ctx.app)
    others = []
    for (let i = 0; i < 5; i++) others.push(await register(ctx.app))
    for (const other of others) {
      await followOk(ctx.app, hub, other)
      await followOk(ctx.app, other, hub)
    }
    newestFirst = others.map((other) => other.id).reverse()
  })

  it('batch_size=2 pages through 0, 1, 2 in order without overlap, then []', async () => {
    for (const list of pagedLists(ctx.app, hub)) {
      const pages: number[][] = []
      for (const number of [0, 1, 2]) {
        const response = await list.get(`?batch_size=2&batch_number=${number}`)
        assert.equal(response.statusCode, 200, `${list.name} page ${number}`)
        const json = response.json()
        assert.equal(json.count, 5, list.name)
        pages.push(json.results.map(list.idOf))
      }
      assert.deepEqual(pages, [newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)], list.name)
      const past = await list.get('?batch_size=2&batch_number=3')
      assert.equal(past.statusCode, 200)
      assert.deepEqual(past.json(), { count: 5, results: [] }, list.name)
    }
  })

  it('without parameters answers everything, newest first; batch_number alone starts at 0', async () => {
    for (const list of pagedLists(ctx.app, hub)) {
      for (const query of ['', '?batch_number=0', '?batch_size=100', '?unknown=1']) {
        const response = await list.get(query)
        assert.equal(response.statusCode, 200, `${list.name}${query}`)
        assert.equal(response.json().count, 5)
        assert.deepEqual(response.json().results.map(list.idOf), newestFirst, `${list.name}${query}`)
      }
      const second = await list.get('?batch_number=1')
      assert.deepEqual(second.json(), { count: 5, results: [] }, list.name)
    }
  })

  it('answers 200 with [] far past the end', async () => {
    for (const list of pagedLists(ctx.app, hub)) {
      for (const query of ['?batch_number=1000', '?batch_size=1000&batch_number=1', '?batch_size=5&batch_number=1']) {
        const response = await list.get(query)
        assert.equal(response.statusCode, 200, `${list.name}${query}`)
        assert.deepEqual(response.json(), { count: 5, results: [] }, `${list.name}${query}`)
      }
    }
  })

  it('treats a huge batch_number (an integer past the end) as past the end: 200 with []', async () => {
    for (const list of pagedLists(ctx.app, hub)) {
      const response = await list.get('?batch_number=99999999999999999999')
      assert.equal(response.statusCode, 200, `${list.name}: ${response.body}`)
      assert.deepEqual(response.json(), { count: 5, results: [] }, list.name)
    }
  })

  for (const value of ['abc', '0', '-1', '1.5', '', '1e2', '0x10']) {
    it(`refuses batch_size=${JSON.stringify(value)} with 400 on batch_size`, async () => {
      for (const list of pagedLists(ctx.app, hub)) {
        const response = await list.get(`?batch_size=${encodeURIComponent(value)}`)
        assertFieldError(response, 'batch_size')
      }
    })
  }

  for (const value of ['-1', 'x', '1.5', '']) {
    it(`refuses batch_number=${JSON.stringify(value)} with 400 on batch_number`, async () => {
      for (const list of pagedLists(ctx.app, hub)) {
        const response = await list.get(`?batch_number=${encodeURIComponent(value)}`)
        assertFieldError(response, 'batch_number')
      }
    })
  }

  it('reports both bad parameters at once', async () => {
    for (const list of pagedLists(ctx.app, hub)) {
      const response = await list.get('?batch_size=0&batch_number=-1')
      assert.equal(response.statusCode, 400)
      assert.deepEqual(keys(response.json()), ['batch_number', 'batch_size'], list.name)
    }
  })

  it('never shows an email', async () => {
    for (const list of pagedLists(ctx.app, hub)) assertNoEmail(await list.get(''), hub, ...others)
  })

  it('drops a deactivated user from every page and the count, and pages stay contiguous; back when reactivated', async () => {
    const pagesOf = async (list: ReturnType<typeof pagedLists>[number]) => {
      const pages: number[][] = []
      let count: number | undefined
      for (const number of [0, 1, 2]) {
        const json = (await list.get(`?batch_size=2&batch_number=${number}`)).json()
        count = json.count
        pages.push(json.results.map(list.idOf))
      }
      return { count, pages }
    }
    const gone = others[2]!
    await setActive(ctx.db, gone.id, false)
    try {
      const left = newestFirst.filter((id) => id !== gone.id)
      for (const list of pagedLists(ctx.app, hub)) {
        assert.deepEqual(await pagesOf(list), { count: 4, pages: [left.slice(0, 2), left.slice(2, 4), []] }, list.name)
      }
    } finally {
      await setActive(ctx.db, gone.id, true)
    }
    for (const list of pagedLists(ctx.app, hub)) {
      const pages = [newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]
      assert.deepEqual(await pagesOf(list), { count: 5, pages }, list.name)
    }
  })
})
