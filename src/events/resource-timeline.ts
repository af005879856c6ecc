import { Inject, Injectable } from '@nestjs/common';
import { ErasureFence } from '../shared/erasure/erasure-fence';
import { EventCodecs, Envelope } from '../shared/event-store/event-codec';
import { EVENT_STORE, EventStore } from '../shared/event-store/event-store.port';
import { PointInTime } from './point-in-time';
import { fieldChanges } from './public-event';
import { occurredAt, PublicEventMapper, PublicEventMappers, ResourceView } from './public-event-mapper';

/** SPEC §7 history entry: one event of the resource's stream. */
export interface HistoryEntry {
  version: number;
  /** The event's own type (`CustomerUpdated`), as stored and upcast. */
  type: string;
  created_at: string;
  /** The API key that made the change (from the event's metadata); null for other writers. */
  actor: string | null;
  request_id: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
}

export interface ResourceHistory {
  /** The resource after its last event; null when the stream does not exist. */
  current: ResourceView | null;
  entries: HistoryEntry[];
}

/**
 * A resource's past, read straight from its stream (decoded: decrypted and upcast) and
 * folded with its category's PublicEventMapper. No read model is involved, so histories
 * and `as_of` reads are exact even while a read model is being rebuilt.
 */
@Injectable()
export class ResourceTimeline {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly codecs: EventCodecs,
    private readonly mappers: PublicEventMappers,
    private readonly erasures: ErasureFence,
  ) {}

  /** The resource as it was at `point`; null when it did not exist yet (or never reached that version). */
  async at(streamName: string, point: PointInTime): Promise<ResourceView | null> {
    // By version, the stream's first `version` events. By time, the whole stream: the cut
    // is the time each change took effect (occurredAt), which the store's own timestamp
    // (what `upTo` filters on) can trail by a few milliseconds.
    const byVersion = 'version' in point;
    const events = await this.read(streamName, byVersion ? point.version : undefined);
    if (byVersion && events.length < point.version) return null;
    const mapper = this.mapper(streamName);
    let state = mapper.initialState();
    let view: ResourceView | null = null;
    for (const event of events) {
      if (!byVersion && Date.parse(occurredAt(mapper, event)) > point.asOf.getTime()) break;
      state = mapper.evolve(state, event);
      view = mapper.view(state, Number(event.revision) + 1);
    }
    return view;
  }

  /** Every event of the stream in order, with the fields each one changed. */
  async history(streamName: string): Promise<ResourceHistory> {
    const mapper = this.mapper(streamName);
    let state = mapper.initialState();
    let current: ResourceView | null = null;
    const entries: HistoryEntry[] = [];
    for (const event of await this.read(streamName)) {
      state = mapper.evolve(state, event);
      const next = mapper.view(state, Number(event.revision) + 1);
      entries.push({
        version: Number(event.revision) + 1,
        type: event.type,
        created_at: occurredAt(mapper, event),
        actor: stringOrNull(event.metadata.key_id),
        request_id: stringOrNull(event.metadata.request_id),
        changes: fieldChanges(current?.object ?? null, next?.object ?? null),
      });
      current = next;
    }
    return { current, entries };
  }

  private async read(streamName: string, maxCount?: number): Promise<Envelope[]> {
    const recorded = await this.store.readStream(streamName, maxCount === undefined ? {} : { maxCount });
    // An erasure made by another process since this one read the key counts at once.
    await this.erasures.catchUp();
    return Promise.all(recorded.map((e) => this.codecs.decode(e)));
  }

  private mapper(streamName: string): PublicEventMapper {
    const mapper = this.mappers.forStream(streamName);
    if (!mapper) throw new Error(`no public event mapper for stream ${streamName}`);
    return mapper;
  }
}

const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);
