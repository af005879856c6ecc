import type { Position } from '@eventstore/db-client';
import { isKnownPosition, packPosition, unpackPosition } from './esdb-position';

const U64_MAX = (1n << 64n) - 1n;

/** ESDB's own order: by commit position, then by prepare position. */
function compareEsdb(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

function compareBig(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

const samples: Position[] = [
  { commit: 0n, prepare: 0n },
  { commit: 0n, prepare: 1n },
  { commit: 0n, prepare: U64_MAX },
  { commit: 1n, prepare: 0n },
  // A transaction commits after its prepares: prepare below commit is the usual shape.
  { commit: 4_096n, prepare: 3_900n },
  { commit: 4_096n, prepare: 4_096n },
  { commit: 4_097n, prepare: 0n },
  { commit: 123_456_789n, prepare: 123_456_700n },
  // Positions past 2^53 must survive: Number would already have lost them.
  { commit: 2n ** 53n + 1n, prepare: 2n ** 53n + 1n },
  { commit: 2n ** 63n - 1n, prepare: 2n ** 63n - 2n },
  { commit: U64_MAX, prepare: U64_MAX },
];

describe('EventStoreDB position packing', () => {
  it('round-trips every (commit, prepare) pair exactly', () => {
    for (const position of samples) {
      expect(unpackPosition(packPosition(position))).toEqual(position);
    }
  });

  it('orders packed positions exactly as ESDB orders the pairs, so checkpoints compare', () => {
    for (const a of samples) {
      for (const b of samples) {
        expect(compareBig(packPosition(a), packPosition(b))).toBe(compareEsdb(a, b));
      }
    }
  });

  it('keeps a later commit ahead of an earlier one however large the earlier prepare', () => {
    const earlier = packPosition({ commit: 10n, prepare: U64_MAX });
    const later = packPosition({ commit: 11n, prepare: 0n });
    expect(later > earlier).toBe(true);
  });

  it('packs the start of the log as 0n, the port value for "nothing read yet"', () => {
    expect(packPosition({ commit: 0n, prepare: 0n })).toBe(0n);
  });

  it('refuses pairs and packed values that cannot be real positions', () => {
    expect(() => packPosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => packPosition({ commit: 0n, prepare: U64_MAX + 1n })).toThrow(RangeError);
    expect(() => unpackPosition(-1n)).toThrow(RangeError);
    expect(() => unpackPosition(1n << 128n)).toThrow(RangeError);
  });

  it('treats the server\'s "no position" answer as unknown rather than as the far end of the log', () => {
    expect(isKnownPosition({ commit: U64_MAX, prepare: U64_MAX })).toBe(false);
    expect(isKnownPosition(undefined)).toBe(false);
    expect(isKnownPosition({ commit: 4_096n, prepare: 4_096n })).toBe(true);
  });
});
