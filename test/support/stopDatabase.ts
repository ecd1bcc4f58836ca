import type { DynamoDbLocal } from '../../local/dynamodbLocal.js';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { athosTestDatabase?: DynamoDbLocal }).athosTestDatabase?.stop();
}
