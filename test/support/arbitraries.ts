import fc from 'fast-check'

// fast-check generators for the fuzz suites: hostile text, numbers, JSON bodies, query strings, tokens, path segments.

/** Percent-encodes every byte but the unreserved ones (a lone surrogate becomes U+FFFD's bytes). */
export function percentEncode(value: string): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

export const oddChar = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ufffe',
  '\uffff',
  '\u202e',
  '\u200b',
  '\u00e9',
  '\u0130',
  '\u00df',
  '\ufb03',
  '😀',
  '%',
  '_',
  '\\',
  '"',
  "'",
  '`',
  ' ',
  '/',
  '?',
  '#',
  '&',
  '=',
  '+',
  ';',
  '\n',
  '\r',
  '\t',
  '*',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  '<',
  '>',
  '$',
  'a',
  'Z',
  '0',
  '9',
  '.',
  '@',
  '-',
)

export const longString = fc
  .tuple(fc.constantFrom('x', 'é', '\u0000', '\ud800', '%', '€', '😀', 'ab'), fc.integer({ min: 150, max: 40_000 }))
  .map(([char, count]) => char.repeat(count))

export const hugeString = fc
  .tuple(fc.constantFrom('x', '€'), fc.integer({ min: 66_000, max: 80_000 }))
  .map(([char, count]) => char.repeat(count))

export const oddString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: oddChar, maxLength: 40 }), weight: 5 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: longString, weight: 1 },
)

/** Text a column must store and give back: odd characters (no NUL, which the API refuses), within `max` characters. */
export function storableString(max: number): fc.Arbitrary<string> {
  const unit = oddChar.filter((char) => char !== '\u0000')
  return fc.oneof(
    fc.string({ unit, maxLength: Math.min(max, 60) }),
    fc.string({ unit: 'binary', maxLength: Math.min(max, 60) }).filter((value) => !value.includes('\u0000')),
    fc.tuple(unit, fc.integer({ min: 1, max })).map(([char, count]) => char.repeat(count).slice(0, max)),
  )
}

export const numberLiteral: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e400',
    '-1e400',
    '1e-400',
    '123456789012345678901234567890',
    '-123456789012345678901234567890',
    '-0',
    '0',
    '1.0',
    '1.5',
    '-1',
    '9007199254740991',
    '9007199254740993',
    '2147483647',
    '2147483648',
    '-2147483648',
    '-2147483649',
    '4294967296',
    '9223372036854775807',
    '9223372036854775808',
    '-9223372036854775809',
    '1E2',
    '1e308',
    '0.0000001',
    '5e-324',
  ),
  fc.integer().map(String),
  fc.bigInt().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
)

/** Any JSON value, as text (so that literals JSON.stringify cannot write, like 1e400, get through). */
export const jsonFragment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: oddString.map((value) => JSON.stringify(value)), weight: 5 },
  { arbitrary: numberLiteral, weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      'null',
      'true',
      'false',
      '[]',
      '{}',
      '[null]',
      '["x"]',
      '{"a":{"b":[1,{"c":null}]}}',
      '{"__proto__":{"x":1}}',
    ),
    weight: 1,
  },
  { arbitrary: fc.integer({ min: 1, max: 5_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`), weight: 1 },
)

/** Keys a route does not take: prototype names (which a plain-object lookup would find), mass assignment, odd text. */
export const extraKey = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'isPrototypeOf',
      '__defineGetter__',
      'id',
      'is_staff',
      'is_active',
      'username',
      'password',
      '',
      ' ',
      'created_at',
      'followers_count',
    ),
    weight: 2,
  },
  { arbitrary: oddString.filter((key) => key.length < 100), weight: 1 },
)

/** An object body as raw JSON text from [key, raw value] pairs (duplicate keys allowed, as on the wire). */
export function objectText(entries: [string, string][]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`
}

/**
 * Bodies for a route whose real keys are `fields` (each with a plausible value generator, as raw JSON text):
 * plausible records, records with hostile values and extra keys, arbitrary JSON, and garbage.
 */
export function bodyFor(
  fields: Record<string, fc.Arbitrary<string>>,
  valid?: fc.Arbitrary<object>,
): fc.Arbitrary<string | undefined> {
  const valueFor = (plausible: fc.Arbitrary<string>) =>
    fc.oneof({ arbitrary: plausible, weight: 4 }, { arbitrary: jsonFragment, weight: 1 })
  const model = Object.fromEntries(Object.entries(fields).map(([key, plausible]) => [key, valueFor(plausible)]))
  const extras = fc.array(fc.tuple(extraKey, jsonFragment), { maxLength: 3 })
  const record = (allRequired: boolean) =>
    fc
      .tuple(fc.record(model, allRequired ? {} : { requiredKeys: [] }), fc.oneof(fc.constant([] as [string, string][]), extras))
      .map(([values, more]) => objectText([...(Object.entries(values) as [string, string][]), ...more]))
  return fc.oneof(
    { arbitrary: valid === undefined ? record(true) : valid.map((value) => JSON.stringify(value)), weight: 6 },
    { arbitrary: record(true), weight: 6 },
    { arbitrary: record(false), weight: 4 },
    { arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)), weight: 2 },
    { arbitrary: fc.object().map((value) => JSON.stringify(value)), weight: 1 },
    { arbitrary: jsonFragment, weight: 1 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    { arbitrary: hugeString.map((value) => objectText([[Object.keys(fields)[0] ?? 'x', JSON.stringify(value)]])), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  )
}

export const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json;charset=UTF-8',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      '',
      ';',
      'application/',
    ),
    weight: 2,
  },
)

export const queryKey = fc.oneof(
  { arbitrary: fc.constantFrom('batch_size', 'batch_number', 'ordering', 'search', 'first_name', 'last_name'), weight: 6 },
  { arbitrary: fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'batch_size[]', 'search[a]', ''), weight: 1 },
  { arbitrary: oddString.filter((key) => key.length < 50), weight: 1 },
)

export const queryValue = fc.oneof(
  { arbitrary: numberLiteral, weight: 3 },
  { arbitrary: oddString, weight: 3 },
  {
    arbitrary: fc.constantFrom(
      'username',
      '-username',
      'created_at',
      '-created_at',
      'first_name',
      '-first_name',
      'last_name',
      '-last_name',
      '--username',
      'id',
      '-',
      '',
      ' 10',
      '10 ',
      '0x10',
      '1_000',
      '١٢',
      'NaN',
      'Infinity',
      '+5',
      '00',
      '-0',
      '1.',
      '.5',
    ),
    weight: 3,
  },
)

/** Byte sequences a percent-decoder must survive: invalid UTF-8, overlong NUL, encoded surrogates, broken escapes. */
export const brokenEscape = fc.constantFrom(
  '%ED%A0%80',
  '%ED%BF%BF',
  '%FF',
  '%C0%80',
  '%C3',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%2',
  '%%',
  '%25',
)

export const queryString: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 }),
    fc.oneof({ arbitrary: fc.constant(''), weight: 4 }, { arbitrary: brokenEscape, weight: 1 }),
    fc.boolean(),
  )
  .map(([pairs, broken, bare]) => {
    const parts = pairs.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    if (broken !== '') parts.push(bare ? broken : `search=${broken}`)
    return parts.length === 0 ? '' : `?${parts.join('&')}`
  })

/** Printable-ASCII Authorization values that are not ours: other schemes, broken Bearer headers, JWT look-alikes. */
export const hostileAuthorization = fc.oneof(
  fc.constantFrom('Bearer', 'Bearer ', 'Bearer a b', 'Basic abc', 'bearer x', 'Token abc', 'Bearer ....', 'Bearer e30.e30.', ''),
  fc.stringMatching(/^[\x20-\x7e]{0,200}$/).map((value) => `Bearer ${value}`),
  fc.stringMatching(/^[\x21-\x7e]{0,200}$/),
  fc.tuple(fc.jsonValue(), fc.jsonValue(), fc.base64String({ maxLength: 40 })).map(([header, claims, signature]) => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')
    return `Bearer ${part(header)}.${part(claims)}.${signature.replace(/=+$/, '')}`
  }),
)

export const segmentOf = (known: string[]) =>
  fc.oneof(
    {
      arbitrary: fc.constantFrom(...known, 'me', 'ME', 'Me', 'register', 'follow', 'followers', 'unfollow', 'nobody-here'),
      weight: 4,
    },
    { arbitrary: fc.webSegment(), weight: 2 },
    { arbitrary: oddString.map(percentEncode), weight: 2 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9@.+_-]{1,200}$/), weight: 2 },
    { arbitrary: brokenEscape, weight: 1 },
    { arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%2F', 'a%2Fb', '%20', 'x'.repeat(501), 'x'.repeat(1_000)), weight: 1 },
  )

/** Usernames the API accepts (3–40 characters of the allowed alphabet). */
export const validUsername = fc.stringMatching(/^[A-Za-z0-9@.+_-]{3,40}$/)

/** Emails unlikely to repeat within a run. */
export const uniqueEmail = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.integer({ min: 0, max: 1e9 }))
  .map(([local, n]) => `${local}${n}@example.com`)

/** Raw JSON text of a string value taken from `values`. */
export const jsonStrings = (...values: string[]): fc.Arbitrary<string> =>
  fc.constantFrom(...values.map((value) => JSON.stringify(value)))

/** Raw JSON text of a hostile string. */
export const anyJsonString = (): fc.Arbitrary<string> => oddString.map((value) => JSON.stringify(value))
