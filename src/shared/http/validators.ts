import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';

/** May be omitted, but when present may not be null. */
export const OptionalNotNull = () => ValidateIf((_, value) => value !== undefined);

/** May be omitted or null (null clears the field); otherwise validated. */
export const OptionalNullable = () => ValidateIf((_, value) => value !== undefined && value !== null);

export const E164 = /^\+[1-9]\d{1,14}$/;
export const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/**
 * SPEC §3 metadata: an object of at most 50 keys, keys of 1–40 characters, string values of
 * at most 500 characters; `null` values (remove the key) are allowed when `allowNullValues`.
 */
export function IsMetadata(allowNullValues: boolean, options?: ValidationOptions) {
  return applyDecorators(
    // The map as sent: class-transformer would drop keys such as "constructor" or
    // "toString" (names of inherited functions) without a word.
    Transform(({ obj, key }) => obj[key]),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isMetadata',
        target: target.constructor,
        propertyName: propertyName as string,
        options,
        validator: {
          validate: (value: unknown) => metadataProblem(value, allowNullValues) === null,
          defaultMessage: (args) => metadataProblem(args?.value, allowNullValues) ?? 'invalid metadata',
        },
      }),
  );
}

function metadataProblem(value: unknown, allowNullValues: boolean): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'metadata must be an object of string values.';
  }
  const entries = Object.entries(value);
  if (entries.length > 50) return 'metadata can hold at most 50 keys.';
  for (const [key, v] of entries) {
    if (key.length === 0 || key.length > 40) return `metadata key "${key.slice(0, 40)}…" must be 1 to 40 characters.`;
    if (v === null && allowNullValues) continue;
    if (typeof v !== 'string') return `metadata.${key} must be a string${allowNullValues ? ' or null' : ''}.`;
    if (v.length > 500) return `metadata.${key} must be at most 500 characters.`;
  }
  return null;
}
