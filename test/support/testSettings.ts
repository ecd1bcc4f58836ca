import type { KeyName } from '../../lambdas/tokens/loadKeySet.js';

export const testTableName = 'athos-test';

/** Fixed test keys, so a test can sign tokens the handlers accept (or, with another key, refuse). */
export const testKeys: Record<KeyName, string> = {
  sessionToken: JSON.stringify({ kid: 'test-session-1', key: 'test-session-token-key-0123456789-abcdefghij' }),
  connectionTicket: JSON.stringify({ kid: 'test-ticket-1', key: 'test-connection-ticket-key-0123456789-abcdef' }),
  cursor: JSON.stringify({ kid: 'test-cursor-1', key: 'test-cursor-key-0123456789-abcdefghijklmnopqr' }),
};

export const testIssuer = 'athos-external-api';

/** The handlers log at the test process's LOG_LEVEL: `silent` (quietLogs.ts) unless a test asks for more. */
export const testLogLevel = (): string | undefined => process.env.LOG_LEVEL;

export const dynamoEndpoint = (): string => {
  const endpoint = process.env.ATHOS_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DynamoDB Local was not started: run the tests with jest (see jest.config.js)');
  return endpoint;
};
