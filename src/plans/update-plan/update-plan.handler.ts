import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { StreamCommandExecutor } from '../../shared/event-store/stream-command.executor';
import { PlanCodec } from '../plan.codec';
import { PlanCommand, planDecider } from '../plan.decider';
import { planStream, PlanState } from '../plan.events';
import { isPlanId, PlanResource, toPlanResource } from '../plan.resource';
import { UpdatePlanCommand } from './update-plan.command';

@CommandHandler(UpdatePlanCommand)
export class UpdatePlanHandler implements ICommandHandler<UpdatePlanCommand, PlanResource> {
  constructor(
    private readonly executor: StreamCommandExecutor,
    private readonly codec: PlanCodec,
  ) {}

  async execute({ auth, planId, body, expectedVersion }: UpdatePlanCommand): Promise<PlanResource> {
    if (!isPlanId(planId)) throw new NotFoundError('plan', planId);
    const result = await this.executor.execute({
      streamName: planStream(planId),
      decider: planDecider,
      codec: this.codec,
      metadata: eventMetadata(auth),
      expectedVersion,
      command: (state: PlanState): PlanCommand => {
        // SPEC §2: another account's or mode's plan is a 404, exactly as if absent.
        if (state.status !== 'present' || state.plan.account_id !== auth.accountId || state.plan.livemode !== auth.livemode) {
          throw new NotFoundError('plan', planId);
        }
        return { type: 'UpdatePlan', data: { changes: body, now: new Date() } };
      },
    });
    if (result.state.status !== 'present') throw new NotFoundError('plan', planId);
    return toPlanResource(result.state.plan, result.version);
  }
}
