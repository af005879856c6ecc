import type { Position } from '@eventstore/db-client';

/**
 * EventStoreDB addresses the global log with a (commit, prepare) pair of unsigned 64-bit
 * transaction-file offsets, ordered by commit first and prepare second. The port wants one
 * bigint, so the pair is packed as `commit << 64 | prepare`: because prepare always fits in
 * the low 64 bits, comparing packed values compares the pairs lexicographically, which is
 * exactly ESDB's order. Checkpoints stored by the projection runner stay comparable.
 */
const PREPARE_BITS = 64n;
const PREPARE_MASK = (1n << PREPARE_BITS) - 1n;

export function packPosition(position: Position): bigint {
  const { commit, prepare } = position;
  if (commit < 0n || commit > PREPARE_MASK || prepare < 0n || prepare > PREPARE_MASK) {
    throw new RangeError(`EventStoreDB position out of range: ${commit}/${prepare}`);
  }
  return (commit << PREPARE_BITS) | prepare;
}

/**
 * A server that cannot place an event answers u64::MAX for both halves (gRPC's "no position"),
 * and servers before 22.6 leave the field off stream reads altogether.
 */
export function isKnownPosition(position: Position | undefined): position is Position {
  return position !== undefined && position.commit !== PREPARE_MASK;
}

export function unpackPosition(packed: bigint): Position {
  if (packed < 0n || packed >> (PREPARE_BITS * 2n) !== 0n) {
    throw new RangeError(`Not a packed EventStoreDB position: ${packed}`);
  }
  return { commit: packed >> PREPARE_BITS, prepare: packed & PREPARE_MASK };
}
