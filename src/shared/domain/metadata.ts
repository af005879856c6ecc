import { InvalidRequestError } from '../errors/api-error';

/** SPEC §3: every resource's metadata holds at most this many keys, after merging. */
export const METADATA_MAX_KEYS = 50;

/** A metadata change as clients send it: a key set to null is removed; null for the map clears it. */
export type MetadataPatch = Record<string, string | null> | null;

/** The metadata after a PATCH, shared by customers, rentals and plans (pure, for deciders). */
export function applyMetadataPatch(current: Record<string, string>, patch: MetadataPatch | undefined): Record<string, string> {
  if (patch === undefined) return { ...current };
  if (patch === null) return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  // The limit holds for the merged map, not only for one request's keys.
  if (Object.keys(next).length > METADATA_MAX_KEYS) {
    throw new InvalidRequestError(`metadata can hold at most ${METADATA_MAX_KEYS} keys.`, 'metadata');
  }
  return next;
}

export function sameMetadata(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
