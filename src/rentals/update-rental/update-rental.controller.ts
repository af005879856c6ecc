import { Body, Controller, Headers, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { parseIfMatch } from '../../shared/http/etag.interceptor';
import { RentalResource } from '../rental.resource';
import { UpdateRentalCommand } from './update-rental.command';
import { UpdateRentalRequestDto } from './update-rental.request.dto';

@ApiTags('rentals')
@ApiBearerAuth()
@Controller('v1/rentals')
export class UpdateRentalController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Update a rental: status, damage, metadata; terms while NEW or APPROVED' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag last seen; stale is a 412' })
  update(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateRentalRequestDto,
    @Headers('if-match') ifMatch?: string,
  ): Promise<RentalResource> {
    return this.commands.execute(new UpdateRentalCommand(auth, id, body, parseIfMatch(ifMatch)));
  }
}
