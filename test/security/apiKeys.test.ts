import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { requestsFor } from '../../local/apiRequests.js';
import { generateApiKey } from '../../lambdas/domain/apiKeys.js';
import { createTestTenant, testTable } from '../support/fixtures.js';
import { loadTestHandlers, type Invoke } from '../support/invoke.js';

const table = testTable();
let invoke: Invoke;
let apiKey: string;
beforeAll(async () => {
  invoke = await loadTestHandlers();
  ({ apiKey } = await createTestTenant(table));
});

const mint = (key: string) => invoke(requestsFor(key).mint());

describe('API keys', () => {
  describe('refused without a database read', () => {
    const database = mockClient(DynamoDBDocumentClient);
    afterAll(() => database.restore());

    it.each([
      ['empty', () => ''],
      ['the wrong prefix', () => apiKey.replace('ath_live_', 'ath_test_')],
      ['truncated', () => apiKey.slice(0, -1)],
      ['one character longer', () => `${apiKey}A`],
      ['a broken checksum', () => `${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}`],
      ['a changed secret', () => `${apiKey.slice(0, 30)}${apiKey[30] === 'A' ? 'B' : 'A'}${apiKey.slice(31)}`],
      ['not base62', () => apiKey.replace(/.$/, '-')],
      ['huge', () => 'ath_live_'.padEnd(100_000, 'A')],
    ])('%s', async (_case, key) => {
      database.resetHistory();
      const response = await mint(key());
      expect([response.status, response.body.error.code]).toEqual([401, 'INVALID_API_KEY']);
      expect(database.calls()).toHaveLength(0);
    });
  });

  it('refuses a well-formed key nobody issued with INVALID_API_KEY', async () => {
    const { tenant } = await createTestTenant(table);
    expect((await mint(generateApiKey(tenant.tenantId))).body.error.code).toBe('INVALID_API_KEY');
  });

  it('refuses a revoked key with API_KEY_REVOKED', async () => {
    const { apiKey: revoked } = await createTestTenant(table, { keyStatus: 'revoked' });
    expect((await mint(revoked)).body.error.code).toBe('API_KEY_REVOKED');
  });

  it('are nowhere in the table in clear', async () => {
    const issued = await Promise.all([1, 2, 3].map(async () => (await createTestTenant(table)).apiKey));
    let found = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await table.db.send(new ScanCommand({ TableName: table.name, ExclusiveStartKey: startKey }));
      const text = JSON.stringify(page.Items ?? []);
      found += (text.match(/ath_live_[0-9A-Za-z]{40,}/g) ?? []).length;
      for (const key of issued) expect(text).not.toContain(key.slice('ath_live_'.length + 16));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    expect(found).toBe(0);
  });
});
