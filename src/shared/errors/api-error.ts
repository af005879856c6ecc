/**
 * The typed errors a client can see (SPEC §2). Anything else that reaches the exception
 * filter is a bug and becomes a 500 with no detail.
 */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'payment_required'
  | 'payload_too_large'
  | 'api_error';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody() {
    return {
      error: { type: this.type, code: this.code, message: this.message, ...(this.param ? { param: this.param } : {}) },
    };
  }
}

export class InvalidRequestError extends ApiError {
  constructor(message: string, param?: string, code = 'parameter_invalid') {
    super(400, 'invalid_request_error', code, message, param);
  }
}

export class AuthenticationError extends ApiError {
  constructor(message = 'Invalid or missing API key. Send it as "Authorization: Bearer rv_…".') {
    super(401, 'authentication_error', 'invalid_api_key', message);
  }
}

export class PermissionError extends ApiError {
  constructor(message: string) {
    super(403, 'permission_error', 'insufficient_scope', message);
  }
}

export class NotFoundError extends ApiError {
  constructor(resource: string, id: string, param = 'id') {
    super(404, 'not_found', 'resource_missing', `No such ${resource}: '${id}'`, param);
  }
}

export class ConflictError extends ApiError {
  constructor(code: string, message: string, param?: string) {
    super(409, 'conflict', code, message, param);
  }
}

export class PreconditionFailedError extends ApiError {
  constructor(expected: string, actual: number) {
    super(
      412,
      'precondition_failed',
      'version_mismatch',
      `If-Match ${expected} does not match the current version ${actual}; fetch the resource and retry.`,
      'If-Match',
    );
  }
}

export class PaymentRequiredError extends ApiError {
  constructor(code: string, message: string) {
    super(402, 'payment_required', code, message);
  }
}
