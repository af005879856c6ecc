import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { RentalCommandExecutor } from '../rental-command.executor';
import { RentalCommand } from '../rental.decider';
import { RentalState } from '../rental.events';
import { toRentalChanges } from '../rental-fields.dto';
import { isRentalId, RentalResource, toRentalResource } from '../rental.resource';
import { UpdateRentalCommand } from './update-rental.command';

@CommandHandler(UpdateRentalCommand)
export class UpdateRentalHandler implements ICommandHandler<UpdateRentalCommand, RentalResource> {
  constructor(private readonly executor: RentalCommandExecutor) {}

  async execute({ auth, rentalId, body, expectedVersion }: UpdateRentalCommand): Promise<RentalResource> {
    if (!isRentalId(rentalId)) throw new NotFoundError('rental', rentalId);
    const result = await this.executor.execute({
      rentalId,
      metadata: eventMetadata(auth),
      expectedVersion,
      command: (state: RentalState): RentalCommand => {
        // SPEC §2: another account's or mode's rental is a 404, exactly as if absent.
        if (state.status === 'absent' || state.rental.account_id !== auth.accountId || state.rental.livemode !== auth.livemode) {
          throw new NotFoundError('rental', rentalId);
        }
        return { type: 'UpdateRental', data: { status: body.status, changes: toRentalChanges(body), now: new Date() } };
      },
    });
    if (result.state.status === 'absent') throw new NotFoundError('rental', rentalId);
    return toRentalResource(result.state.rental, result.version);
  }
}
