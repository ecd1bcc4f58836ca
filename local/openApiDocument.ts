import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

/** The project's own OpenAPI document: served at /openapi.json, and the tests check every response against it. */
export const openApiPath = resolve('openapi/athos-external-api.openapi.yaml');

export const loadOpenApiDocument = (): Record<string, unknown> =>
  parse(readFileSync(openApiPath, 'utf8')) as Record<string, unknown>;
