import { Body, Controller, Headers, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { parseIfMatch } from '../../shared/http/etag.interceptor';
import { CustomerResource } from '../customer.resource';
import { UpdateCustomerCommand } from './update-customer.command';
import { UpdateCustomerRequestDto } from './update-customer.request.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class UpdateCustomerController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Update a customer (metadata is merged; a no-op appends nothing)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag last seen; stale is a 412' })
  update(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateCustomerRequestDto,
    @Headers('if-match') ifMatch?: string,
  ): Promise<CustomerResource> {
    return this.commands.execute(new UpdateCustomerCommand(auth, id, body, parseIfMatch(ifMatch)));
  }
}
