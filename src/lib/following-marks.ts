/** A user as lists show them (users list and search, followers, following). */
export interface ListedUser {
  id: number
  username: string
  first_name: string
  last_name: string
  avatar: string | null
}

export type MarkedUser = ListedUser & { is_following: boolean }

/** The rows of each shared (cached) page as anonymous callers see them: one array per page, made once. */
const anonymousPages = new WeakMap<readonly object[], MarkedUser[]>()

/**
 * A page of users with `is_following` from the viewer's side, on new objects (the rows may be a cached page
 * shared by every request). For an anonymous caller (or an empty page) the answer is one and the same array
 * per page: `shared` says so, and callers must not modify it; whatever is derived from it may be kept as long
 * as it lives.
 */
export async function markFollowing(
  rows: readonly ListedUser[],
  viewerId: number | null,
  followedAmong: (viewerId: number, ids: number[]) => Promise<ReadonlySet<number>>,
): Promise<{ rows: MarkedUser[]; shared: boolean }> {
  if (viewerId === null || rows.length === 0) {
    let marked = anonymousPages.get(rows)
    if (marked === undefined) anonymousPages.set(rows, (marked = rows.map((row) => markedUser(row, false))))
    return { rows: marked, shared: true }
  }
  const followed = await followedAmong(
    viewerId,
    rows.map((row) => row.id),
  )
  return { rows: rows.map((row) => markedUser(row, followed.has(row.id))), shared: false }
}

// One object literal, so that every marked row has one shape: `{ ...row, is_following }` gave each row a map
// that V8 then migrated, and the answer's serializer missed its inline caches on every row (a tenth of an
// authenticated page of users).
function markedUser(row: ListedUser, following: boolean): MarkedUser {
  return {
    id: row.id,
    username: row.username,
    first_name: row.first_name,
    last_name: row.last_name,
    avatar: row.avatar,
    is_following: following,
  }
}
