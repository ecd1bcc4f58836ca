import { startDynamoDbLocal } from '../../local/dynamodbLocal.js';
import { ensureTable } from '../../local/ensureTable.js';
import { testTableName } from './testSettings.js';

/** One in-memory DynamoDB Local for the whole run; test files keep apart by using their own tenants. */
export default async function globalSetup(): Promise<void> {
  const database = await startDynamoDbLocal({ onProgress: (message) => process.stdout.write(`\n${message}\n`) });
  await ensureTable(database.endpoint, testTableName);
  // Workers start after this and inherit the environment.
  process.env.ATHOS_TEST_DYNAMODB_ENDPOINT = database.endpoint;
  (globalThis as { athosTestDatabase?: typeof database }).athosTestDatabase = database;
}
