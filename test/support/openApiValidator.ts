import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { loadOpenApiDocument } from '../../local/openApiDocument.js';

/**
 * Checks a response body against the project's OpenAPI document: the schema of that operation's
 * response for that status. A status the document does not list for the operation fails too.
 */
type Document = {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> }> }
    >
  >;
  components: { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };
};

export const openApiDocument = loadOpenApiDocument() as unknown as Document;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi.json', components: openApiDocument.components });

const validators = new Map<string, ValidateFunction>();

const validatorFor = (path: string, method: string, status: number): ValidateFunction => {
  const id = `${method} ${path} ${status}`;
  let validate = validators.get(id);
  if (validate) return validate;
  const operation = openApiDocument.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`the OpenAPI document has no operation ${method} ${path}`);
  let response = operation.responses[String(status)];
  if (!response) throw new Error(`the OpenAPI document lists no ${status} response for ${method} ${path}`);
  if (response.$ref) response = openApiDocument.components.responses[response.$ref.split('/').pop() ?? ''] ?? {};
  const schemaRef = response.content?.['application/json']?.schema?.$ref;
  if (!schemaRef) throw new Error(`no JSON schema for ${id}`);
  validate = ajv.compile({ $ref: `openapi.json${schemaRef}` });
  validators.set(id, validate);
  return validate;
};

/** @throws Error naming the schema violations */
export const assertMatchesOpenApi = (path: string, method: string, status: number, body: unknown): void => {
  const validate = validatorFor(path, method, status);
  if (!validate(body)) {
    throw new Error(
      `${method} ${path} ${status} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}`,
    );
  }
};
