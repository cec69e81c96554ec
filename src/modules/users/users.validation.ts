import type { FieldErrorCollector } from '../../errors.js'

// Django's username characters: letters and digits of every script (its `\w` is Unicode), and @ . + - _.
export const USERNAME_PATTERN = '^[\\p{L}\\p{N}@.+_-]+$'
const USERNAME_REGEX = new RegExp(USERNAME_PATTERN, 'u')
const ASCII_USERNAME = /^[A-Za-z0-9@.+_-]+$/
export const USERNAME_MIN = 3
export const USERNAME_MAX = 150
export const INVALID_USERNAME = 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.'

/** Path words a username may not take (compared case-insensitively), so that no profile shadows a route. */
const RESERVED_USERNAMES = new Set([
  'me',
  'register',
  'login',
  'logout',
  'token',
  'follow',
  'following',
  'followers',
  'unfollow',
  'update',
  'stats',
  'feed',
  'sessions',
  'password',
  'relationships',
  'suggestions',
  'search',
  'admin',
  'api',
  'static',
  'docs',
  'openapi',
  'health',
  'ready',
  'metrics',
])

const EMAIL_LOCAL = /^[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*$/
const EMAIL_DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/

const MIN_PASSWORD_LENGTH = 8
export const USERNAME_TAKEN = 'A user with that username already exists.'
export const EMAIL_TAKEN = 'A user with that email already exists.'

/**
 * Letters in a compatibility form (fullwidth `ａｌｉｃｅ`, ligatures, the Kelvin sign U+212A) are refused: Unicode's NFKC
 * folds them into other letters, so that they could pass for another user's name (Django folds them on save).
 */
export function isNormalUsername(value: string): boolean {
  return ASCII_USERNAME.test(value) || isNfkcStable(value)
}

const isNfkcStable = (value: string): boolean => value.normalize('NFKC') === value

/** Could this string be someone's username? Anything else cannot be found, and is not looked up. */
export function isWellFormedUsername(value: string): boolean {
  if (ASCII_USERNAME.test(value)) return value.length >= USERNAME_MIN && value.length <= USERNAME_MAX
  // Lengths count characters, as JSON Schema's do (an astral letter is two UTF-16 units).
  const length = [...value].length
  return length >= USERNAME_MIN && length <= USERNAME_MAX && USERNAME_REGEX.test(value) && isNfkcStable(value)
}

export function isReservedUsername(value: string): boolean {
  return RESERVED_USERNAMES.has(value.toLowerCase())
}

function isValidEmail(value: string): boolean {
  const at = value.lastIndexOf('@')
  if (at < 1 || value.length > 254) return false
  const local = value.slice(0, at)
  const domain = value.slice(at + 1)
  return local.length <= 64 && EMAIL_LOCAL.test(local) && EMAIL_DOMAIN.test(domain)
}

function isValidAvatarUrl(value: string): boolean {
  if (/\s/.test(value)) return false
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/** Django's default validators, minus the common-password list (the seed's `password123` must pass). */
export function passwordProblems(password: string, username: unknown, email: unknown): string[] {
  const problems: string[] = []
  if (password.length < MIN_PASSWORD_LENGTH) {
    problems.push(`This password is too short. It must contain at least ${MIN_PASSWORD_LENGTH} characters.`)
  }
  if (/^\d+$/.test(password)) problems.push('This password is entirely numeric.')
  const lowered = password.toLowerCase()
  if (typeof username === 'string' && lowered === username.toLowerCase())
    problems.push('The password is too similar to the username.')
  if (typeof email === 'string' && lowered === email.toLowerCase())
    problems.push('The password is too similar to the email address.')
  return problems
}

/** Checks shared by registration and profile updates, for the fields present and not already in error. */
export function checkProfileFields(data: Record<string, unknown>, errors: FieldErrorCollector): void {
  if (typeof data.email === 'string' && !errors.has('email') && !isValidEmail(data.email)) {
    errors.add('email', 'Enter a valid email address.')
  }
  if (typeof data.avatar === 'string' && data.avatar !== '' && !errors.has('avatar') && !isValidAvatarUrl(data.avatar)) {
    errors.add('avatar', 'Enter a valid http or https URL.')
  }
}
