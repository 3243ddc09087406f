import type { Lead } from '#domain/lead';
import type { Opportunity } from '#domain/opportunity';
import { tableName } from '#functions/config';
import { queryAll } from './dynamodb';
import { ordersOf } from './order-records';
import { quotesOf } from './quote-records';
import { keys, tableDesign } from './table-design';
import { fromItem } from './table-items';

/** How many opportunities' quotes and orders are read at once. */
const parallelReads = 8;

const ownedBy = async <T>(owner: string, prefix: string): Promise<T[]> => {
  const [, byOwner] = tableDesign.indexes;
  const items = await queryAll({
    TableName: tableName(),
    IndexName: byOwner.name,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': byOwner.partitionKey, '#sk': byOwner.sortKey },
    ExpressionAttributeValues: { ':pk': keys.owner(owner), ':prefix': prefix },
  });
  return items.map((item) => fromItem<T>(item));
};

/**
 * An SM's suspects and opportunities from the owner index, then each opportunity's quotes and
 * orders from theirs: 2 + 2n queries, n the SM's open opportunities.
 */
export const ownersPipeline = async (owner: string) => {
  const [suspects, all] = await Promise.all([ownedBy<Lead>(owner, 'LEAD#suspect#'), ownedBy<Opportunity>(owner, 'OPP#')]);
  // A lost opportunity leaves the pipeline (issue 15); a won one stays with its orders.
  const opportunities = all.filter((opportunity) => opportunity.status !== 'lost');
  const withStages = [];
  for (let i = 0; i < opportunities.length; i += parallelReads) {
    withStages.push(
      ...(await Promise.all(
        opportunities.slice(i, i + parallelReads).map(async (opportunity) => {
          const [quotes, orders] = await Promise.all([quotesOf(opportunity.id), ordersOf(opportunity.id)]);
          return { opportunity, quotes, orders };
        }),
      )),
    );
  }
  return { suspects, opportunities: withStages };
};
