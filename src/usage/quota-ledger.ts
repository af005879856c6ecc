import { Inject, Injectable, Logger } from '@nestjs/common';
import { CustomerCodec } from '../customers/customer.codec';
import { customerStream } from '../customers/customer.events';
import { PlanCodec } from '../plans/plan.codec';
import { evolvePlan, initialPlanState, planStream, PlanState } from '../plans/plan.events';
import { ConflictError } from '../shared/errors/api-error';
import { EVENT_STORE, EventMetadata, EventStore, WrongExpectedRevisionError } from '../shared/event-store/event-store.port';
import { Metrics } from '../shared/metrics/metrics';
import { ProjectionRunner } from '../shared/projections/projection-runner';
import { evolveQuotaTerms } from './customer-terms';
import { FoldedStreams } from './folded-streams';
import { StreamBatches } from './stream-batches';
import { StaleTermsError, UsageCommand, usageDecider } from './usage.decider';
import { evolveUsage, initialUsageState, QuotaTerms, USAGE_STREAM_PREFIX, UsageEvent, UsageState, usageStream } from './usage.events';

/** What a command is built from; `terms` is null when the customer does not exist. */
export interface LedgerInputs {
  terms: QuotaTerms | null;
  limit: number | null;
  now: Date;
}

export interface LedgerOutcome {
  events: UsageEvent[];
  state: UsageState;
  /** Global position of the append; null when nothing was appended. */
  position: bigint | null;
}

interface LedgerRequest {
  metadata: EventMetadata;
  build: (inputs: LedgerInputs) => UsageCommand | null;
  settle: (outcome: LedgerOutcome | Error) => void;
}

interface Decided {
  request: LedgerRequest;
  events: UsageEvent[];
  state: UsageState;
  error?: Error;
}

const MAX_ATTEMPTS = 16;

/**
 * The usage ledger's command executor: load → decide → append on the customer's usage
 * stream, with the revision that was read as the expected revision. Requests for one
 * customer that queue up in this process are decided and appended as one batch.
 *
 * Why one stream per customer: "never over quota" is a check-then-write on a running sum,
 * and the only check-then-write that is atomic on every store this service runs on
 * (EventStoreDB included, which appends atomically to one stream only) is an append with an
 * expected revision. So the sum lives in one stream, every decision is an append to it, and
 * of two racing decisions on the same revision exactly one lands; the other decides again on
 * the new sum. No read model is consulted: a projection lags, a stream revision does not.
 *
 * The decision also needs the customer's terms (plan, status, period) and the plan's quota,
 * which live in their own streams. They are read fresh for every decision, after the ledger,
 * and a change of terms is copied into the ledger (QuotaTermsChanged) by the request that
 * made it before it returns (syncTerms): a usage decided on the old terms, still in flight,
 * then fails its append and decides again. A quota change (PATCH /v1/plans) is not copied to
 * every customer's ledger; it applies to each decision that reads the plan after it.
 */
@Injectable()
export class QuotaLedger {
  private readonly logger = new Logger('QuotaLedger');
  private readonly ledgers: FoldedStreams<UsageState>;
  private readonly customers: FoldedStreams<QuotaTerms | null>;
  private readonly plans: FoldedStreams<PlanState>;
  private readonly batches = new StreamBatches<LedgerRequest>((stream, batch) => this.decide(stream, batch));

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    customerCodec: CustomerCodec,
    planCodec: PlanCodec,
    private readonly projections: ProjectionRunner,
    private readonly metrics: Metrics,
  ) {
    this.ledgers = new FoldedStreams(store, initialUsageState, (s, e) => evolveUsage(s, e as unknown as UsageEvent));
    this.customers = new FoldedStreams<QuotaTerms | null>(store, () => null, async (t, e) =>
      evolveQuotaTerms(t, await customerCodec.decode(e)),
    );
    this.plans = new FoldedStreams(store, initialPlanState, async (s, e) => evolvePlan(s, await planCodec.decode(e)));
  }

  /** Returns once the usage read model has the append too (read-your-writes, SPEC §2). */
  async execute(
    customerId: string,
    metadata: EventMetadata,
    build: (inputs: LedgerInputs) => UsageCommand | null,
  ): Promise<LedgerOutcome> {
    const outcome = await new Promise<LedgerOutcome | Error>((settle) =>
      this.batches.add(usageStream(customerId), { metadata, build, settle }),
    );
    if (outcome instanceof Error) throw outcome;
    if (outcome.position !== null) await this.projections.waitFor(outcome.position);
    return outcome;
  }

  /** Copies the customer's current terms into its ledger; see the class comment. */
  async syncTerms(customerId: string, metadata: EventMetadata): Promise<void> {
    try {
      await this.execute(customerId, metadata, ({ terms, now }) => (terms ? { type: 'SyncTerms', data: { terms, now } } : null));
    } catch (error) {
      // The customer write has happened; the next decision on this ledger copies the terms
      // itself, in the same append as its usage, so a failure here only widens the race.
      this.logger.warn(`quota terms of ${customerId} not copied to its ledger yet: ${String(error)}`);
    }
  }

  /**
   * One batch (stream-batches.ts): each request decided on the state the previous one left,
   * all their events appended at once at the revision read. A refusal (402, 404) settles its
   * own request only; a lost race decides the whole batch again on the fresh state.
   */
  private async decide(stream: string, batch: LedgerRequest[]): Promise<void> {
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        // Ledger first, customer second: the terms read are at least as new as the ledger's copy.
        const ledger = await this.ledgers.load(stream);
        const terms = (await this.customers.load(customerStream(stream.slice(USAGE_STREAM_PREFIX.length)))).state;
        const inputs = { terms, limit: await this.quotaOf(terms?.plan_id ?? null), now: new Date() };
        const decided = this.decideEach(batch, inputs, ledger.state);
        if (decided === 'stale') continue;
        const state = decided.length ? decided[decided.length - 1].state : ledger.state;
        const events = decided.flatMap(({ request, events }) =>
          events.map((e) => ({ type: e.type, schemaVersion: 1, data: { ...e.data }, metadata: request.metadata })),
        );
        if (events.length === 0) {
          this.metrics.commands.inc({ category: 'customer_usage', outcome: 'noop' }, batch.length);
          return settleAll(decided, null);
        }
        try {
          const expectedRevision = ledger.revision === -1n ? 'no_stream' : ledger.revision;
          const appended = await this.store.appendToStream(stream, events, { expectedRevision });
          this.ledgers.remember(stream, { state, revision: appended.nextRevision });
          this.metrics.commands.inc({ category: 'customer_usage', outcome: 'appended' }, batch.length);
          this.metrics.appendedEvents.inc(events.length);
          return settleAll(decided, appended.position);
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          this.metrics.commands.inc({ category: 'customer_usage', outcome: 'conflict_retry' }, batch.length);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * (attempt + 1)));
        }
      }
      throw new ConflictError('concurrent_modification', 'The usage ledger is busy; retry the request.');
    } catch (error) {
      for (const request of batch) request.settle(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** 'stale': the customer changed between the two reads; the whole batch is decided again. */
  private decideEach(batch: LedgerRequest[], inputs: LedgerInputs, initial: UsageState): Decided[] | 'stale' {
    let state = initial;
    const decided: Decided[] = [];
    for (const request of batch) {
      try {
        const command = request.build(inputs);
        const events = command ? usageDecider.decide(command, state) : [];
        state = events.reduce(evolveUsage, state);
        decided.push({ request, events, state });
      } catch (error) {
        if (error instanceof StaleTermsError) return 'stale';
        decided.push({ request, events: [], state, error: error as Error });
      }
    }
    return decided;
  }

  /** The plan's quota as its stream says now; a plan that cannot be found allows nothing. */
  private async quotaOf(planId: string | null): Promise<number | null> {
    if (planId === null) return null;
    const { state } = await this.plans.load(planStream(planId));
    return state.status === 'present' ? state.plan.monthly_quota : 0;
  }
}

function settleAll(decided: Decided[], position: bigint | null): void {
  for (const { request, events, state, error } of decided) {
    request.settle(error ?? { events, state, position: events.length ? position : null });
  }
}
