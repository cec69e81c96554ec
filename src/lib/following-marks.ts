/** The rows of each shared (cached) page as anonymous callers see them: one array per page, made once. */
const anonymousPages = new WeakMap<readonly object[], unknown[]>()

/**
 * A page of users with `is_following` from the viewer's side, on new objects (the rows may be a cached page
 * shared by every request). For an anonymous caller (or an empty page) the answer is one and the same array
 * per page: `shared` says so, and callers must not modify it; whatever is derived from it may be kept as long
 * as it lives.
 */
export async function markFollowing<T extends { id: number }>(
  rows: readonly T[],
  viewerId: number | null,
  followedAmong: (viewerId: number, ids: number[]) => Promise<ReadonlySet<number>>,
): Promise<{ rows: (T & { is_following: boolean })[]; shared: boolean }> {
  if (viewerId === null || rows.length === 0) {
    let marked = anonymousPages.get(rows) as (T & { is_following: boolean })[] | undefined
    if (marked === undefined) anonymousPages.set(rows, (marked = rows.map((row) => ({ ...row, is_following: false }))))
    return { rows: marked, shared: true }
  }
  const followed = await followedAmong(
    viewerId,
    rows.map((row) => row.id),
  )
  return { rows: rows.map((row) => ({ ...row, is_following: followed.has(row.id) })), shared: false }
}
