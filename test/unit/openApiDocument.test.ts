import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { errorCodes } from '../../lambdas/domain/errors.js';
import { routeList } from '../../lambdas/http/routes.js';
import { openApiDocument } from '../support/openApiValidator.js';

/**
 * The document is what resellers read; the contract is what Athos promised. Ours may add what the
 * deployed API really answers (500, 503, the gateway's 413 and 429) but must not change or drop
 * anything of the contract.
 */
const vendoredContractPath = resolve('openapi/contract/athos-external-api.openapi.yaml');
const sharedContractPath = resolve('../shared/contract/athos-external-api.openapi.yaml');
type Operation = {
  operationId: string;
  parameters?: unknown;
  requestBody?: unknown;
  security?: unknown;
  responses: Record<string, unknown>;
};
type Doc = { paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>> };
// CI and developers have the contract Athos published beside the checkout; a lone clone has its copy.
const contract = parse(
  readFileSync(existsSync(sharedContractPath) ? sharedContractPath : vendoredContractPath, 'utf8'),
) as Doc;
const ours = openApiDocument as unknown as Doc;

const operationsOf = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  );

describe('the OpenAPI document', () => {
  it('has exactly the operations of the route table, with their auth schemes', () => {
    const documented = operationsOf(ours).map(({ path, method, operation }) => ({
      path,
      method,
      operationId: operation.operationId,
      security: operation.security,
    }));
    const routed = routeList.map((route) => ({
      path: route.path,
      method: route.method,
      operationId: route.operationId,
      security: [{ [route.auth === 'apiKey' ? 'ApiKeyAuth' : 'SessionToken']: [] }],
    }));
    const byId = (a: { operationId: string }, b: { operationId: string }) => a.operationId.localeCompare(b.operationId);
    expect(documented.sort(byId)).toEqual(routed.sort(byId));
  });

  it.each(operationsOf(contract).map(({ path, method, operation }) => [method, path, operation] as const))(
    'keeps %s %s as the contract has it',
    (method, path, promised) => {
      const operation = ours.paths[path]?.[method.toLowerCase()];
      expect(operation?.operationId).toBe(promised.operationId);
      expect(operation?.parameters).toEqual(promised.parameters);
      expect(operation?.requestBody).toEqual(promised.requestBody);
      expect(operation?.security).toEqual(promised.security);
      for (const [status, response] of Object.entries(promised.responses)) {
        expect(operation?.responses[status]).toEqual(response);
      }
    },
  );

  it('keeps every schema, header, response and security scheme of the contract', () => {
    for (const section of ['schemas', 'headers', 'responses', 'securitySchemes']) {
      for (const [name, definition] of Object.entries(contract.components[section] ?? {})) {
        expect([section, name, ours.components[section]?.[name]]).toEqual([section, name, definition]);
      }
    }
  });

  it('lists exactly the error codes the code can answer with', () => {
    expect((ours.components.schemas?.ErrorCode as { enum: string[] }).enum).toEqual([...errorCodes]);
  });
});
