import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { InvalidRequestError } from '../errors/api-error';

/** Every single-resource response carries its version as a strong ETag (SPEC §2). */
@Injectable()
export class ETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse();
    return next.handle().pipe(
      map((body) => {
        if (body && typeof body === 'object' && typeof (body as { version?: unknown }).version === 'number') {
          reply.header('ETag', `"${(body as { version: number }).version}"`);
        }
        return body;
      }),
    );
  }
}

/** Parses If-Match (`"3"`, `W/"3"` or `3`); undefined when absent. */
export function parseIfMatch(header: string | undefined): number | undefined {
  // `*` asks only that the resource exists, which every PATCH requires anyway.
  if (header === undefined || header === '' || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) throw new InvalidRequestError('If-Match must be an ETag such as "3".', 'If-Match');
  return Number(match[1]);
}
