import { randomBytes } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { hash, verify, type Options } from '@node-rs/argon2'
import { Semaphore } from '../../lib/semaphore.js'

// One of the five argon2id settings OWASP's password storage cheat sheet lists as equally strong (46 MiB × 1
// pass, 19 MiB × 2, 12 MiB × 3, 9 MiB × 4, 7 MiB × 5). The smaller areas verify faster on one core: allocating
// and touching memory costs more than the extra passes. 40 verifications on one pinned core, two runs:
// 46 MiB 20.9-21.0 ms, 19 MiB 9.4-9.7, 12 MiB 7.8-7.8, 9 MiB 7.7-7.8, 7 MiB 7.1-7.3 (an earlier machine:
// 12 MiB 5.2-5.4, 19 MiB 9.8-10.3). Hashes made with other settings keep verifying (each hash names its own)
// and are replaced at the owner's next login.
// `algorithm: 2` is Algorithm.Argon2id (an ambient const enum we cannot import).
const ARGON2ID: Options = { algorithm: 2, memoryCost: 7168, timeCost: 5, parallelism: 1 }

// Every hash starts with the settings it was made with.
const CURRENT_SETTINGS = `$argon2id$v=19$m=${ARGON2ID.memoryCost},t=${ARGON2ID.timeCost},p=${ARGON2ID.parallelism}$`

let dummyHash: Promise<string> | undefined

// One hash per core this process may run on (the affinity mask counts): each one fills 7 MiB, and more of
// them in parallel on a core only evict each other from the caches. Pinned to one core, four logins at a
// time went from 55-62/s to 82-94/s by hashing one after another.
const hashing = new Semaphore(availableParallelism())

/** Hashes on libuv's thread pool, never on the event loop. */
export function hashPassword(password: string): Promise<string> {
  return hashing.run(() => hash(password, ARGON2ID))
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await hashing.run(() => verify(passwordHash, password))
  } catch {
    return false
  }
}

/** Made with other settings than today's: replaced at the owner's next login, as Django does. */
export function isOutdated(passwordHash: string): boolean {
  return !passwordHash.startsWith(CURRENT_SETTINGS)
}

/**
 * Spends the same time as a real verification and fails: used when there is no account to check,
 * so that "no such user" cannot be told from "wrong password" by timing.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await prepareDummyHash(), password)
  return false
}

/** Computed at start, so that even the first login of an unknown user costs exactly one verification. */
export function prepareDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'))
  return dummyHash
}
