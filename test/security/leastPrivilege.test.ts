import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requestsFor } from '../../local/apiRequests.js';
import { issueApiKey } from '../../lambdas/backoffice/tenantAdministration.js';
import { systemClock } from '../../lambdas/domain/ports.js';
import { routes, type Route } from '../../lambdas/http/routes.js';
import { tableAccessPolicies, type TableAccessPolicy } from '../../lambdas/store/tableAccess.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createTestTenant, seedScoredCalls, testTable } from '../support/fixtures.js';
import { loadTestHandlers, type Invoke } from '../support/invoke.js';

/**
 * DynamoDB Local enforces no IAM, so a store change that writes an attribute its role may not would
 * pass every other test and fail only in AWS, with AccessDenied. Here each route's real requests
 * are recorded and held to the grants the stack gives its function (`tableAccess.ts`): the action,
 * the key prefix, and for writes and checks every attribute named.
 */
interface Access {
  readonly action: string;
  readonly pk: string;
  readonly attributes: readonly string[];
  readonly returnValues?: string;
}

const expressionWords = new Set([
  'SET',
  'ADD',
  'REMOVE',
  'DELETE',
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
  'if_not_exists',
  'list_append',
]);

/** The attribute names an expression mentions, as IAM's `dynamodb:Attributes` sees them. */
const namesIn = (expression: string | undefined, names: Record<string, string> = {}): string[] =>
  (expression ?? '')
    .replace(/:\w+/g, ' ')
    .match(/#?\w+/g)
    ?.filter((word) => !expressionWords.has(word) && !/^\d/.test(word))
    .map((word) => (word.startsWith('#') ? (names[word] ?? word) : word)) ?? [];

type Input = Record<string, any>;
const writeOf = (action: string, input: Input): Access => {
  const names = input.ExpressionAttributeNames as Record<string, string> | undefined;
  const key = (input.Key ?? input.Item) as Record<string, unknown>;
  return {
    action,
    pk: String(key.pk),
    attributes: [
      ...Object.keys(key),
      ...namesIn(input.UpdateExpression, names),
      ...namesIn(input.ConditionExpression, names),
    ],
    ...(input.ReturnValues ? { returnValues: input.ReturnValues } : {}),
  };
};

/** The item-level accesses of one SDK command, each as IAM authorizes it. */
const accessesOf = (command: { constructor: { name: string }; input: Input }): Access[] => {
  const { input } = command;
  switch (command.constructor.name) {
    case 'UpdateCommand':
      return [writeOf('dynamodb:UpdateItem', input)];
    case 'PutCommand':
      return [writeOf('dynamodb:PutItem', input)];
    case 'TransactWriteCommand':
      return (input.TransactItems as Input[]).map((item) =>
        item.Put
          ? writeOf('dynamodb:PutItem', item.Put)
          : item.Update
            ? writeOf('dynamodb:UpdateItem', item.Update)
            : writeOf('dynamodb:ConditionCheckItem', item.ConditionCheck),
      );
    case 'BatchGetCommand':
      return Object.values(input.RequestItems as Record<string, { Keys: Input[] }>).flatMap(({ Keys }) =>
        Keys.map((key) => ({ action: 'dynamodb:BatchGetItem', pk: String(key.pk), attributes: [] })),
      );
    case 'QueryCommand':
      return [
        {
          action: 'dynamodb:Query',
          pk: String(Object.values(input.ExpressionAttributeValues ?? {})[0]),
          attributes: [],
        },
      ];
    default:
      throw new Error(`no grant is modelled for ${command.constructor.name}`);
  }
};

/** Why the route's grants would refuse this access, or undefined when one allows it. */
const refusalOf = (route: Route, access: Access): string | undefined => {
  const grants: TableAccessPolicy[] = route.tableAccess.map((name) => tableAccessPolicies[name]);
  const candidates = grants.filter(
    (grant) =>
      grant.actions.includes(access.action) && grant.leadingKeyPrefixes.some((prefix) => access.pk.startsWith(prefix)),
  );
  if (candidates.length === 0) return `${route.operationId} may not ${access.action} on ${access.pk}`;
  const allowed = candidates.find(
    (grant) =>
      !grant.attributes ||
      (access.attributes.every((name) => grant.attributes?.includes(name)) &&
        (access.returnValues ?? 'NONE') === 'NONE'),
  );
  return allowed
    ? undefined
    : `${route.operationId} may not name ${access.attributes.join(', ')} (ReturnValues ${access.returnValues ?? 'NONE'}) in ${access.action} on ${access.pk}`;
};

const table = testTable();
let invoke: Invoke;
const sent: { constructor: { name: string }; input: Input }[] = [];
beforeAll(async () => {
  invoke = await loadTestHandlers();
  const send = DynamoDBDocumentClient.prototype.send as (...args: unknown[]) => unknown;
  // Records each command, then sends it on: the requests really reach DynamoDB Local.
  function recordingSend(this: DynamoDBDocumentClient, command: (typeof sent)[number], ...rest: unknown[]) {
    sent.push(command);
    return send.call(this, command, ...rest);
  }
  jest.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(recordingSend as never);
});
afterAll(() => jest.restoreAllMocks());

const recorded = async (run: () => Promise<{ status: number }>, status = 200) => {
  sent.length = 0;
  const response = await run();
  expect(response.status).toBe(status);
  return sent.flatMap(accessesOf);
};

describe('what each route asks of DynamoDB stays within what its role is granted', () => {
  it('mint: the key and tenant lookup, the quota count, the key use', async () => {
    const { apiKey } = await createTestTenant(table, { monthlySessionQuota: 100 });
    const accesses = await recorded(() => invoke(requestsFor(apiKey).mint()));

    expect(accesses.map((access) => access.action)).toEqual(
      expect.arrayContaining(['dynamodb:BatchGetItem', 'dynamodb:UpdateItem']),
    );
    expect(accesses.map((access) => refusalOf(routes.mintSession, access))).toEqual(accesses.map(() => undefined));
  });

  it('redeem: the token use, the call, and the tenant and key checks', async () => {
    const { apiKey } = await createTestTenant(table);
    const minted = await invoke(requestsFor(apiKey).mint());
    const accesses = await recorded(() => invoke(requestsFor(apiKey).redeem(minted.body.token)));

    expect(accesses.map((access) => access.action).sort()).toEqual([
      'dynamodb:ConditionCheckItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:PutItem',
      'dynamodb:PutItem',
    ]);
    expect(accesses.map((access) => refusalOf(routes.redeemSession, access))).toEqual(accesses.map(() => undefined));
  });

  it('redeem with a test-mode key: the same grants, the call marked as a test call', async () => {
    const { tenant } = await createTestTenant(table);
    const { apiKey } = await issueApiKey(
      { tenants: createTenantStore(table), clock: systemClock, actor: 'test' },
      { tenantId: tenant.tenantId, mode: 'test' },
    );
    const minted = await invoke(requestsFor(apiKey).mint());
    const accesses = await recorded(() => invoke(requestsFor(apiKey).redeem(minted.body.token)));

    expect(accesses.some((access) => access.attributes.includes('mode'))).toBe(true);
    expect(accesses.map((access) => refusalOf(routes.redeemSession, access))).toEqual(accesses.map(() => undefined));
  });

  it('list and get: reads of their own prefixes only', async () => {
    const { apiKey, tenant } = await createTestTenant(table);
    const [callId = ''] = await seedScoredCalls(table, [
      { tenantId: tenant.tenantId, externalUserId: 'rep_1', externalAgencyId: 'agency_1', endedAt: new Date() },
    ]);
    for (const [route, request] of [
      [routes.listCalls, requestsFor(apiKey).list()],
      [routes.getCall, requestsFor(apiKey).get(callId)],
    ] as const) {
      const accesses = await recorded(() => invoke(request));
      expect(accesses.map((access) => refusalOf(route, access))).toEqual(accesses.map(() => undefined));
    }
  });

  it("list: every filter combination queries only the tenant's own index partitions", async () => {
    const { apiKey, tenant } = await createTestTenant(table);
    await seedScoredCalls(table, [
      { tenantId: tenant.tenantId, externalUserId: 'rep_1', externalAgencyId: 'agency_1', endedAt: new Date() },
    ]);
    const filters = ['to=2099-01-01T00:00:00Z', 'source=roleplay', 'externalUserId=rep_1', 'externalAgencyId=agency_1'];
    for (let mask = 0; mask < 2 ** filters.length; mask++) {
      const query = filters
        .filter((_, i) => mask & (2 ** i))
        .map((filter) => `&${filter}`)
        .join('');
      const request = requestsFor(apiKey).list();
      const accesses = await recorded(() => invoke({ ...request, path: `${request.path}${query}` }));
      const queries = accesses.filter((access) => access.action === 'dynamodb:Query');
      expect(queries.map((access) => access.pk.startsWith(`TENANT#${tenant.tenantId}#`))).toEqual([true]);
      expect(accesses.map((access) => refusalOf(routes.listCalls, access))).toEqual(accesses.map(() => undefined));
    }
  });

  it("get: another tenant's call is asked for with the caller's own transcript key, within the grants", async () => {
    const { apiKey, tenant } = await createTestTenant(table);
    const { tenant: owner } = await createTestTenant(table);
    const [callId = ''] = await seedScoredCalls(table, [
      { tenantId: owner.tenantId, externalUserId: 'rep_1', externalAgencyId: null, endedAt: new Date() },
    ]);
    const accesses = await recorded(() => invoke(requestsFor(apiKey).get(callId)), 404);

    const keys = sent.flatMap((command) =>
      command.constructor.name === 'BatchGetCommand'
        ? Object.values(command.input.RequestItems as Record<string, { Keys: Input[] }>).flatMap(({ Keys }) => Keys)
        : [],
    );
    expect(keys.filter((key) => key.pk === `CALL#${callId}`).map((key) => key.sk)).toEqual([
      'CALL',
      `TRANSCRIPT#${tenant.tenantId}`,
    ]);
    expect(accesses.map((access) => refusalOf(routes.getCall, access))).toEqual(accesses.map(() => undefined));
  });

  it('would catch a write beyond the grant, such as mint setting a key active again', () => {
    const reactivate = writeOf('dynamodb:UpdateItem', {
      Key: { pk: 'APIKEY#abc', sk: 'APIKEY' },
      UpdateExpression: 'SET #status = :active, lastUsedAt = :at',
      ExpressionAttributeNames: { '#status': 'status' },
    });
    expect(refusalOf(routes.mintSession, reactivate)).toMatch(/may not name pk, sk, status, lastUsedAt/);
  });
});
