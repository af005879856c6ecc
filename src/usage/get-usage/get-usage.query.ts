import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { UsageQueries } from '../read-models/usage.queries';
import { UsageResource } from '../usage.resource';

export class GetUsageQuery {
  constructor(
    readonly auth: AuthContext,
    readonly customerId: string,
  ) {}
}

/** Served from read models, which every usage write has updated before it returned. */
@QueryHandler(GetUsageQuery)
export class GetUsageHandler implements IQueryHandler<GetUsageQuery, UsageResource> {
  constructor(private readonly usage: UsageQueries) {}

  execute({ auth, customerId }: GetUsageQuery): Promise<UsageResource> {
    return this.usage.summary(auth, customerId);
  }
}
