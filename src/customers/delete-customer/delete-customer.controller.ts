import { Controller, Delete, Headers, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { parseIfMatch } from '../../shared/http/etag.interceptor';
import { DeletedCustomerResource } from '../customer.resource';
import { DeleteCustomerCommand } from './delete-customer.command';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class DeleteCustomerController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':id')
  @ApiOperation({ summary: "Delete a customer: its personal data are erased for good (its key is destroyed); events and history stay" })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag last seen; stale is a 412' })
  delete(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Headers('if-match') ifMatch?: string,
  ): Promise<DeletedCustomerResource> {
    return this.commands.execute(new DeleteCustomerCommand(auth, id, parseIfMatch(ifMatch)));
  }
}
