import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GenerationCache } from '../../src/db/totals.js'

// The caches of pages hold shared values of very different sizes; their bounds are what keeps memory finite.
describe('GenerationCache bounds', () => {
  it('evicts the least recently used entries beyond the weight budget, and keeps none heavier than it', () => {
    const cache = new GenerationCache<string>(100, (value) => value.length, 10)
    cache.set('a', 1, 'xxxx')
    cache.set('b', 1, 'xxxx')
    assert.equal(cache.get('a', 1), 'xxxx') // a is now the most recently used
    cache.set('c', 1, 'xxxx') // 12 > 10: b goes
    assert.equal(cache.get('b', 1), undefined)
    assert.deepEqual([cache.get('a', 1), cache.get('c', 1)], ['xxxx', 'xxxx'])
    cache.set('huge', 1, 'x'.repeat(11))
    assert.equal(cache.get('huge', 1), undefined)
    assert.deepEqual([cache.get('a', 1), cache.get('c', 1)], ['xxxx', 'xxxx'])
  })

  it('counts a replaced entry once, and never replaces a newer generation with an older one', () => {
    const cache = new GenerationCache<string>(100, (value) => value.length, 10)
    for (let generation = 1; generation <= 20; generation++) cache.set('a', generation, 'xxxxx')
    cache.set('b', 1, 'xxxxx') // 5 + 5: both fit only if the replaced values were subtracted
    assert.deepEqual([cache.get('a', 20), cache.get('b', 1)], ['xxxxx', 'xxxxx'])
    cache.set('a', 3, 'old')
    assert.equal(cache.get('a', 20), 'xxxxx')
  })

  it('keeps at most `capacity` entries', () => {
    const cache = new GenerationCache<number>(3)
    for (let i = 0; i < 10; i++) cache.set(String(i), 1, i)
    assert.deepEqual(
      Array.from({ length: 10 }, (_unused, i) => cache.get(String(i), 1)),
      [undefined, undefined, undefined, undefined, undefined, undefined, undefined, 7, 8, 9],
    )
  })
})
