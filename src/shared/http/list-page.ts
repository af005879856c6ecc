/** SPEC §2 list envelope. */
export interface Page<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * Builds a page from `limit + 1` rows fetched in paging direction. Lists are newest first;
 * a backwards (ending_before) page is fetched oldest-first and reversed. `next_cursor` is
 * the id to pass on to keep going the same way (starting_after forwards, ending_before
 * backwards), null at the end.
 */
export function pageOf<T extends { id: string }>(rows: T[], limit: number, backwards: boolean): Page<T> {
  const has_more = rows.length > limit;
  const data = rows.slice(0, limit);
  if (backwards) data.reverse();
  const edge = backwards ? data[0] : data[data.length - 1];
  return { object: 'list', data, has_more, next_cursor: has_more && edge ? edge.id : null };
}
