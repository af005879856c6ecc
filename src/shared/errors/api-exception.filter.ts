import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ApiError, ApiErrorType } from './api-error';

const TYPE_BY_STATUS: Record<number, ApiErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'invalid_request_error',
};

/**
 * The one place errors get their shape (SPEC §2). Typed ApiErrors pass through; Nest and
 * Fastify HTTP errors (unknown route, malformed JSON, body too large) are mapped by status;
 * anything else is a bug: logged with its stack, answered with a 500 that leaks nothing.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse();
    const request = host.switchToHttp().getRequest();
    const error = toApiError(exception, `${request.method} ${request.url}`);
    if (error.status >= 500) {
      this.logger.error({ err: exception, reqId: request.id, msg: 'unhandled error' });
    }
    reply.status(error.status).send(error.toBody());
  }
}

export function toApiError(exception: unknown, route: string): ApiError {
  if (exception instanceof ApiError) return exception;
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : ((exception as { statusCode?: number })?.statusCode ?? 500);
  const type = TYPE_BY_STATUS[status];
  if (!type || status >= 500) {
    return new ApiError(500, 'api_error', 'internal_error', 'Something went wrong on our side; the request can be retried.');
  }
  if (status === 404) return new ApiError(404, 'not_found', 'resource_missing', `Unrecognized request URL (${route}).`);
  const code = (exception as { code?: string })?.code;
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test((exception as Error)?.message ?? '')) {
    return new ApiError(400, type, 'invalid_json', 'The request body is not valid JSON.');
  }
  if (status === 413) return new ApiError(413, type, 'payload_too_large', 'The request body is too large.');
  if (status === 415) {
    return new ApiError(400, type, 'unsupported_content_type', 'Send the request body as application/json.');
  }
  return new ApiError(status, type, 'invalid_request', (exception as Error)?.message ?? 'Invalid request.');
}
