import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { createTableInput } from './createTableInput.js';
import { localDynamoClient } from './dynamodbLocal.js';

/**
 * Creates the table on DynamoDB Local from the shared definition, unless it is there.
 * @returns whether it was created
 */
export const ensureTable = async (endpoint: string, tableName: string): Promise<boolean> => {
  const client = localDynamoClient(endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    return true;
  } finally {
    client.destroy();
  }
};
