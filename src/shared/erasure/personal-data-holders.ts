import { Injectable } from '@nestjs/common';
import { SqlExecutor } from '../read-db/read-db.port';

/** A data subject (a customer), with the account and mode its resources live in. */
export interface DataSubject {
  subjectId: string;
  accountId: string;
  livemode: boolean;
}

/** What one erasure covers: the data subject and everything whose personal data are its. */
export interface ErasureScope extends DataSubject {
  /** Streams whose events carry the subject's personal data: its own, and its rentals'. */
  streams: string[];
  /** The resources those streams are about (`cu_…`, `re_…`), as other tables name them. */
  resourceIds: string[];
}

/**
 * A feature that knows where some of a data subject's personal data are (SPEC §8). Each
 * resource module registers what it owns: customers the subject's own stream, rentals the
 * streams of the subject's rentals, webhooks what receivers answered about them. The
 * read models marked `personalData` and the idempotency records are SubjectErasure's own.
 */
export interface PersonalDataHolder {
  readonly name: string;
  /** Streams of this feature's resources that carry the subject's personal data. */
  streamsOf?(tx: SqlExecutor, subject: DataSubject): Promise<string[]>;
  /** Erases the copies this feature keeps itself, inside the erasure's transaction. */
  erase?(tx: SqlExecutor, scope: ErasureScope): Promise<void>;
}

/** The registry; modules register on init, before any request can erase anything. */
@Injectable()
export class PersonalDataHolders {
  private readonly holders: PersonalDataHolder[] = [];

  register(holder: PersonalDataHolder): void {
    if (this.holders.some((h) => h.name === holder.name)) {
      throw new Error(`a personal data holder named ${holder.name} is already registered`);
    }
    this.holders.push(holder);
  }

  /** Every stream of the subject's personal data, its own first. */
  async streamsOf(tx: SqlExecutor, subject: DataSubject): Promise<string[]> {
    const streams: string[] = [];
    for (const holder of this.holders) streams.push(...((await holder.streamsOf?.(tx, subject)) ?? []));
    return [...new Set(streams)];
  }

  async erase(tx: SqlExecutor, scope: ErasureScope): Promise<void> {
    for (const holder of this.holders) await holder.erase?.(tx, scope);
  }
}
