import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticationError, PermissionError } from '../errors/api-error';
import { AccountsRepository } from './accounts.repository';
import { IS_PUBLIC } from './auth-context';

/** SPEC §2: Bearer keys; GET needs `read`, every write needs `read_write`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new AuthenticationError();
    const key = await this.accounts.findBySecret(match[1]);
    if (!key) throw new AuthenticationError();
    if (key.revoked) throw new AuthenticationError('This API key has been revoked.');
    const isRead = request.method === 'GET' || request.method === 'HEAD';
    if (!isRead && key.scope !== 'read_write') {
      throw new PermissionError(`The API key ${key.id} has scope '${key.scope}'; this request needs 'read_write'.`);
    }
    request.auth = { accountId: key.accountId, livemode: key.livemode, keyId: key.id, requestId: request.id };
    return true;
  }
}
