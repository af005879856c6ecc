import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { RentalResource } from '../rental.resource';
import { CreateRentalCommand, CreateRentalResult } from './create-rental.command';
import { CreateRentalRequestDto } from './create-rental.request.dto';

@ApiTags('rentals')
@ApiBearerAuth()
@Controller('v1/rentals')
export class CreateRentalController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Create a rental (201), or get back the one with this booking_id (200)' })
  async create(
    @Auth() auth: AuthContext,
    @Body() body: CreateRentalRequestDto,
    @Res({ passthrough: true }) reply: { status(code: number): unknown },
  ): Promise<RentalResource> {
    const result = await this.commands.execute<CreateRentalCommand, CreateRentalResult>(new CreateRentalCommand(auth, body));
    reply.status(result.created ? 201 : 200);
    return result.rental;
  }
}
