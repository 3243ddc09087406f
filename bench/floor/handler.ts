import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/** The floor the benchmark measures every function against: one DynamoDB client, one GetItem. */
const client = new DynamoDBClient({});

export const handler = async (): Promise<unknown> => {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: process.env.SALESFLOW_TABLE_NAME, Key: { pk: { S: 'HEALTH' }, sk: { S: 'HEALTH' } } }),
  );
  return { found: Boolean(Item) };
};
