import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidRequestError } from '../errors/api-error';

/**
 * One global pipe: unknown fields are rejected (not silently dropped), and the first
 * failure becomes a 400 naming its `param` the way clients address it (`metadata.color`).
 */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const [param, message] = firstFailure(errors);
      return new InvalidRequestError(message, param);
    },
  });
}

function firstFailure(errors: ValidationError[], prefix = ''): [string, string] {
  const error = errors[0];
  const param = prefix ? `${prefix}.${error.property}` : error.property;
  if (error.constraints) {
    const [name, message] = Object.entries(error.constraints)[0];
    if (name === 'whitelistValidation') return [param, `Unknown parameter: ${param}.`];
    return [param, message];
  }
  if (error.children?.length) return firstFailure(error.children, param);
  return [param, `Invalid value for ${param}.`];
}
