import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { CustomerResource } from '../customer.resource';
import { CreateCustomerCommand, CreateCustomerResult } from './create-customer.command';
import { CreateCustomerRequestDto } from './create-customer.request.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CreateCustomerController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Create a customer, or upsert by external_id (201 new, 200 existing)' })
  async create(
    @Auth() auth: AuthContext,
    @Body() body: CreateCustomerRequestDto,
    @Res({ passthrough: true }) reply: { status(code: number): unknown },
  ): Promise<CustomerResource> {
    const result = await this.commands.execute<CreateCustomerCommand, CreateCustomerResult>(
      new CreateCustomerCommand(auth, body),
    );
    reply.status(result.created ? 201 : 200);
    return result.customer;
  }
}
