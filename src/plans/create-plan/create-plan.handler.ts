import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata } from '../../shared/auth/auth-context';
import { StreamCommandExecutor } from '../../shared/event-store/stream-command.executor';
import { newResourceId } from '../../shared/ids';
import { PlanCodec } from '../plan.codec';
import { PlanCommand, planDecider } from '../plan.decider';
import { planStream } from '../plan.events';
import { PlanResource, toPlanResource } from '../plan.resource';
import { CreatePlanCommand } from './create-plan.command';

@CommandHandler(CreatePlanCommand)
export class CreatePlanHandler implements ICommandHandler<CreatePlanCommand, PlanResource> {
  constructor(
    private readonly executor: StreamCommandExecutor,
    private readonly codec: PlanCodec,
  ) {}

  async execute({ auth, body }: CreatePlanCommand): Promise<PlanResource> {
    // Derived from the Idempotency-Key when there is one: a retry after a crash lands on the
    // plan the first attempt may already have created, instead of creating a second one.
    const planId = newResourceId('pln', auth);
    const result = await this.executor.execute({
      streamName: planStream(planId),
      decider: planDecider,
      codec: this.codec,
      metadata: eventMetadata(auth),
      streamIsNew: !auth.idempotencyKey,
      command: (): PlanCommand => ({
        type: 'CreatePlan',
        data: {
          planId,
          accountId: auth.accountId,
          livemode: auth.livemode,
          name: body.name,
          monthlyQuota: body.monthly_quota ?? null,
          metadata: body.metadata,
          now: new Date(),
        },
      }),
    });
    if (result.state.status !== 'present') throw new Error(`plan ${planId} missing after create`);
    return toPlanResource(result.state.plan, result.version);
  }
}
