import { EventStore, RecordedEvent } from '../shared/event-store/event-store.port';

export interface Folded<S> {
  state: S;
  /** Last revision folded; -1n when the stream does not exist. */
  revision: bigint;
}

const DEFAULT_LIMIT = 10_000;

/**
 * Stream states kept in memory between commands, so a busy stream is read from where the
 * last fold stopped instead of from its first event: a customer with 100,000 usage records
 * costs one short read per decision, not 100,000 events. Safe without invalidation because
 * streams only grow: the state at revision r never changes, and every load reads whatever
 * was appended after r (by this process or another) before anything is decided on it.
 * States must be immutable: evolve returns new objects, it never edits the cached one.
 */
export class FoldedStreams<S> {
  private readonly entries = new Map<string, Folded<S>>();

  constructor(
    private readonly store: EventStore,
    private readonly initial: () => S,
    private readonly apply: (state: S, event: RecordedEvent) => S | Promise<S>,
    private readonly limit = DEFAULT_LIMIT,
  ) {}

  async load(stream: string): Promise<Folded<S>> {
    const cached = this.entries.get(stream);
    const recorded = await this.store.readStream(stream, cached ? { fromRevision: cached.revision + 1n } : undefined);
    let { state, revision } = cached ?? { state: this.initial(), revision: -1n };
    for (const event of recorded) {
      state = await this.apply(state, event);
      revision = event.revision;
    }
    const folded = { state, revision };
    if (recorded.length > 0 || !cached) this.remember(stream, folded);
    return folded;
  }

  /** A state this process just appended: the next load starts after it. */
  remember(stream: string, folded: Folded<S>): void {
    const cached = this.entries.get(stream);
    if (cached && cached.revision > folded.revision) return;
    this.entries.delete(stream);
    this.entries.set(stream, folded);
    // Map iteration is insertion order: the first key is the least recently written.
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
  }
}
