import { ValidateIf, validate, type ValidationError } from 'class-validator';
import { Errors } from '../errors/domain-error.js';

/**
 * type-graphql's validateFn: runs class-validator on every input object and argument class, and
 * reports the first problem as BAD_USER_INPUT naming the field path (e.g. `input.quota.cores`).
 */
export async function validateArgument(
  argValue: unknown,
  _argType: unknown,
  resolverData: { args: Record<string, unknown> },
): Promise<void> {
  const unpaired = illFormedText(argValue, []);
  if (unpaired) {
    const name = Object.entries(resolverData.args).find(([, v]) => v === argValue)?.[0];
    const prefix = typeof argValue === 'object' ? argumentPath(argValue as object, resolverData.args) : [];
    throw Errors.invalid(
      [...(name !== undefined && typeof argValue !== 'object' ? [name] : prefix), ...unpaired].join('.'),
      'must be valid Unicode text (it holds an unpaired surrogate)',
    );
  }
  if (argValue === null || typeof argValue !== 'object') return;
  const values = Array.isArray(argValue) ? argValue : [argValue];
  for (const value of values) {
    if (value === null || typeof value !== 'object' || value.constructor === Object) continue;
    const errors = await validate(value, { forbidUnknownValues: false, validationError: { target: false } });
    const first = firstError(errors, argumentPath(value, resolverData.args));
    if (first) throw Errors.invalid(first.path, first.message);
  }
}

// In Unicode mode, a surrogate pair reads as one code point: only an unpaired half matches.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * Where in `value` a string is not well-formed UTF-16 (JSON's `"\ud800"` escape gives one): such a
 * string cannot be stored or encoded as UTF-8 further down (the database refuses it), so it is the
 * caller's mistake, not an internal error.
 */
function illFormedText(value: unknown, path: string[]): string[] | null {
  if (typeof value === 'string') return UNPAIRED_SURROGATE.test(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = illFormedText(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * type-graphql does not tell the validator which argument it is checking: find the argument whose
 * given fields all appear on the value (an @Args() class spreads the arguments, so it gets no prefix).
 */
function argumentPath(value: object, args: Record<string, unknown>): string[] {
  const candidates = Object.entries(args).filter(
    ([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((k) => k in value),
  );
  return candidates.length === 1 && candidates[0] ? [candidates[0][0]] : [];
}

function firstError(errors: ValidationError[], path: string[]): { path: string; message: string } | null {
  for (const e of errors) {
    const here = [...path, e.property];
    if (e.constraints) {
      const message = Object.values(e.constraints)[0] ?? 'is invalid';
      // class-validator prefixes the property name; the path already names it.
      return {
        path: here.join('.'),
        message: message.startsWith(e.property + ' ') ? message.slice(e.property.length + 1) : message,
      };
    }
    const nested = firstError(e.children ?? [], here);
    if (nested) return nested;
  }
  return null;
}

/**
 * For update inputs: skips the field's checks when it is left out, but (unlike `@IsOptional`) still
 * checks an explicit null, so a null for a required column is BAD_USER_INPUT rather than a failed insert.
 */
export const IsOptionalNonNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
