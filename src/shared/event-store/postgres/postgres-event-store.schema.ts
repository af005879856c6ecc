import { randomUUID } from 'node:crypto';
import { CustomTypesConfig, QueryConfig, types } from 'pg';
import { EventToAppend, ExpectedRevision } from '../event-store.port';

/** SQLSTATE raised by the append function when the expected revision does not hold. */
export const WRONG_EXPECTED_REVISION_SQLSTATE = 'RV409';

/**
 * Session-level advisory lock that orders position allocation. It is held only for the xid
 * assignment and nextval/setval, never across a row lock or a commit.
 */
const POSITION_LOCK = 5_263_949_826_001;

/**
 * Tables live in the connection's search_path, so one database can host several stores.
 * The whole script runs as one implicit transaction under an advisory lock: two processes
 * starting together would otherwise race on CREATE … IF NOT EXISTS (duplicate pg_type rows).
 *
 * `position` has no default on purpose: positions must only come from the append function,
 * which hands them out in the same order as transaction ids (see postgres-event-store.ts).
 */
export const POSTGRES_EVENT_SCHEMA = `
SELECT pg_advisory_xact_lock(${POSITION_LOCK + 1});
CREATE SEQUENCE IF NOT EXISTS events_position_seq;
CREATE TABLE IF NOT EXISTS events (
  position       bigint      PRIMARY KEY,
  id             uuid        NOT NULL CONSTRAINT events_id_key UNIQUE,
  stream         text        NOT NULL,
  revision       bigint      NOT NULL,
  type           text        NOT NULL,
  schema_version integer     NOT NULL,
  data           jsonb       NOT NULL,
  metadata       jsonb       NOT NULL,
  created_at     timestamptz NOT NULL,
  transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
  CONSTRAINT events_stream_revision_key UNIQUE (stream, revision)
);
CREATE TABLE IF NOT EXISTS streams (
  stream   text   CONSTRAINT streams_pkey PRIMARY KEY,
  revision bigint NOT NULL
);

-- p_expected is 'no_stream' | 'stream_exists' | 'any' | 'exact' (then p_revision holds it).
CREATE OR REPLACE FUNCTION renvo_append_to_stream(
  p_stream text, p_expected text, p_revision bigint, p_events jsonb)
RETURNS TABLE (next_revision bigint, last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count    integer := jsonb_array_length(p_events);
  v_xid      xid8;
  v_first    bigint;
  v_current  bigint;
  v_actual   bigint;
BEGIN
  -- Take the xid and the positions under one lock, before any other write can assign the
  -- xid: then a lower transaction id always owns lower positions.
  PERFORM pg_advisory_lock(${POSITION_LOCK});
  BEGIN
    v_xid := pg_current_xact_id();
    v_first := nextval('events_position_seq');
    IF v_count > 1 THEN
      PERFORM setval('events_position_seq', v_first + v_count - 1);
    END IF;
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    -- A session lock outlives the statement: leaking it would stall every writer.
    PERFORM pg_advisory_unlock(${POSITION_LOCK});
    RAISE;
  END;
  PERFORM pg_advisory_unlock(${POSITION_LOCK});

  -- Claim the stream row: the conditional UPDATE waits for a concurrent writer of the same
  -- stream and re-checks its WHERE against the committed revision, so one expectation wins.
  LOOP
    IF p_expected = 'no_stream' THEN
      INSERT INTO streams (stream, revision) VALUES (p_stream, v_count - 1) ON CONFLICT DO NOTHING;
      IF FOUND THEN v_current := -1; EXIT; END IF;
    ELSE
      UPDATE streams SET revision = revision + v_count
       WHERE stream = p_stream
         AND (p_expected <> 'exact' OR revision = p_revision)
      RETURNING revision - v_count INTO v_current;
      EXIT WHEN FOUND;
      IF p_expected = 'any' THEN
        INSERT INTO streams (stream, revision) VALUES (p_stream, v_count - 1) ON CONFLICT DO NOTHING;
        IF FOUND THEN v_current := -1; EXIT; END IF;
        CONTINUE;
      END IF;
    END IF;
    SELECT revision INTO v_actual FROM streams WHERE stream = p_stream;
    -- The row changed between the claim and this read: retry rather than report a state
    -- that would have satisfied the expectation.
    CONTINUE WHEN (p_expected = 'no_stream' AND v_actual IS NULL)
      OR (p_expected = 'stream_exists' AND v_actual IS NOT NULL)
      OR (p_expected = 'exact' AND v_actual = p_revision);
    RAISE EXCEPTION USING ERRCODE = '${WRONG_EXPECTED_REVISION_SQLSTATE}',
      MESSAGE = 'wrong expected revision', DETAIL = coalesce(v_actual::text, 'no_stream');
  END LOOP;

  -- Millisecond precision, like the port's Date: readStream(upTo: e.createdAt) includes e.
  INSERT INTO events (position, id, stream, revision, type, schema_version, data, metadata,
                      created_at, transaction_id)
  SELECT v_first + e.ord - 1, (e.value->>'id')::uuid, p_stream, v_current + e.ord,
         e.value->>'type', (e.value->>'schema_version')::integer, e.value->'data',
         e.value->'metadata', date_trunc('milliseconds', now()), v_xid
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord);

  RETURN QUERY SELECT v_current + v_count, v_first + v_count - 1;
END
$fn$;
`;

const INT8_OID = 20;

/** int8 as bigint for this store's queries only; the process-wide pg defaults stay untouched. */
export const EVENT_STORE_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => BigInt(value) : types.getTypeParser(oid, format),
} as CustomTypesConfig;

/** The one append statement; tests run the very same write inside a transaction they hold open. */
export function appendQuery(streamName: string, events: EventToAppend[], expected: ExpectedRevision): QueryConfig {
  const payload = events.map((e) => ({
    id: e.id ?? randomUUID(),
    type: e.type,
    schema_version: e.schemaVersion,
    data: e.data,
    metadata: e.metadata ?? {},
  }));
  return {
    name: 'renvo_append_to_stream',
    text: 'SELECT next_revision, last_position FROM renvo_append_to_stream($1, $2, $3, $4)',
    values: [
      streamName,
      typeof expected === 'bigint' ? 'exact' : expected,
      typeof expected === 'bigint' ? expected.toString() : null,
      JSON.stringify(payload),
    ],
    types: EVENT_STORE_TYPES,
  };
}
