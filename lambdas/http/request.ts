import type { APIGatewayProxyEvent } from 'aws-lambda';
import { invalidRequest } from './validation.js';

/** Reading what API Gateway's REST proxy event carries: headers, bearer credentials, JSON bodies. */

/** HTTP header names are case-insensitive; API Gateway passes them as the client sent them. */
export const header = (event: APIGatewayProxyEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
};

/** The credential of an `Authorization: Bearer …` header, or undefined. */
export const bearerCredential = (event: APIGatewayProxyEvent): string | undefined => {
  const match = /^Bearer +(\S+) *$/i.exec(header(event, 'authorization') ?? '');
  return match?.[1];
};

/**
 * Refuses bytes that are not UTF-8 instead of turning them into U+FFFD: the gateway hands the body
 * over as the bytes the client sent (binary media type `*\/*`), so this is where they are judged.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Large enough for any request of this API many times over; a bigger body is refused unread. */
export const maxBodyBytes = 16 * 1024;

/** @throws AthosError INVALID_REQUEST unless the body is a JSON object sent as application/json */
export const jsonObjectBody = (event: APIGatewayProxyEvent): Record<string, unknown> => {
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw invalidRequest('Content-Type must be application/json');
  }
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBodyBytes) throw invalidRequest(`request body must be at most ${maxBodyBytes} bytes`);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw invalidRequest('request body is not valid UTF-8');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidRequest('request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('request body must be a JSON object');
  }
  return body as Record<string, unknown>;
};

/**
 * Query parameters as single values.
 * @throws AthosError INVALID_REQUEST when a parameter is repeated (which value was meant is unknown)
 */
export const singleQueryParameters = (event: APIGatewayProxyEvent): Record<string, string> => {
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if ((values?.length ?? 0) > 1) throw invalidRequest(`${name} must be given once`);
  }
  // fromEntries defines own properties, so a parameter named __proto__ stays a plain key.
  return Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
};
