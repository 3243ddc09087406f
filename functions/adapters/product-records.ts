import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Product } from '#domain/product';
import { tableName } from '#functions/config';
import { db, queryAll } from './dynamodb';
import { itemKind, keys, tableDesign } from './table-design';
import { fromItem } from './table-items';

/** The price list in the single table: one item per SKU, listed through gsi1 in SKU order. */

/** Writes the product as given, in place of any under its SKU; whether it was new. */
export const saveProduct = async (product: Product): Promise<{ created: boolean }> => {
  const [byList] = tableDesign.indexes;
  const { Attributes } = await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.product(product.sku),
        itemType: itemKind.product,
        [byList.partitionKey]: keys.products(),
        [byList.sortKey]: product.sku.toUpperCase(),
        ...product,
      },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return { created: !Attributes };
};

/** Every product, by SKU. */
export const listProducts = async (): Promise<Product[]> => {
  const [byList] = tableDesign.indexes;
  const items = await queryAll({
    TableName: tableName(),
    IndexName: byList.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': byList.partitionKey },
    ExpressionAttributeValues: { ':pk': keys.products() },
  });
  return items.map((item) => fromItem<Product>(item));
};
