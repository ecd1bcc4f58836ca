import type * as z from 'zod/mini';
import { AthosError } from '../domain/errors.js';

export const invalidRequest = (message: string) => new AthosError('INVALID_REQUEST', message);

type Issue = z.core.$ZodIssue;

/** One plain sentence per zod issue, naming the field (zod/mini ships no messages of its own). */
const describeIssue = (issue: Issue, input: unknown): string => {
  const field = issue.path.length > 0 ? issue.path.join('.') : 'request body';
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined
        ? `${field} is required`
        : `${field} must be ${article(issue.expected)}`;
    case 'too_small':
      return issue.origin === 'string' ? `${field} must not be empty` : `${field} is too small`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${field} must be at most ${String(issue.maximum)} characters`
        : `${field} is too large`;
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map(String).join(', ')}`;
    default:
      // Schemas give their own wording where the generic one would not help the caller.
      return issue.message && issue.message !== 'Invalid input' ? `${field} ${issue.message}` : `${field} is invalid`;
  }
};

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      typeof value === 'object' && value !== null && Object.hasOwn(value, key)
        ? (value as Record<PropertyKey, unknown>)[key]
        : undefined,
    input,
  );

const article = (type: string) => (type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`);

/** @throws AthosError INVALID_REQUEST describing the first problem */
export const parseWith = <T>(schema: z.ZodMiniType<T>, value: unknown): T => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [first] = result.error.issues;
  throw invalidRequest(first ? describeIssue(first, value) : 'request is invalid');
};
