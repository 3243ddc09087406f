import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ExportKind } from '#domain/export-columns';
import { type LeadStatus, leadStatuses } from '#domain/lead';
import { tableName } from '#functions/config';
import { queryPages } from './dynamodb';
import { findIndex, keys, tableDesign } from './table-design';
import { fromItem, type Item } from './table-items';

/**
 * The records of an export, a query page at a time (never a scan, never the whole list in
 * memory): by owner on the owner index where the kind has one, else the kind's list on the find
 * index (gsi4, newest first), filtered as it is read.
 */

export interface ExportFilter {
  owner?: string;
  status?: LeadStatus;
}

/** The record's own item in each kind's list (the list index also holds nothing else). */
const listKind = { leads: 'lead', opportunities: 'opportunity', accounts: 'account', orders: 'order', quotes: 'quote' } as const;
const ownerAttribute = (kind: ExportKind) => (kind === 'accounts' ? 'ownerEmail' : 'owner');

const pageSize = 500;

const queriesFor = (kind: ExportKind, filter: ExportFilter): QueryCommandInput[] => {
  const [index1, index2] = tableDesign.indexes;
  const base = { TableName: tableName(), ScanIndexForward: false, Limit: pageSize };
  if (kind === 'leads' && filter.owner) {
    return [
      {
        ...base,
        IndexName: index2.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': index2.partitionKey, '#sk': index2.sortKey },
        ExpressionAttributeValues: { ':pk': keys.owner(filter.owner), ':prefix': filter.status ? `LEAD#${filter.status}#` : 'LEAD#' },
      },
    ];
  }
  if (kind === 'leads') {
    // Every lead is on the leads-by-status index, made before the list index or not.
    return (filter.status ? [filter.status] : leadStatuses).map((status) => ({
      ...base,
      IndexName: index1.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index1.partitionKey },
      ExpressionAttributeValues: { ':pk': keys.leadsByStatus(status) },
    }));
  }
  if (kind === 'opportunities' && filter.owner) {
    return [
      {
        ...base,
        IndexName: index2.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': index2.partitionKey, '#sk': index2.sortKey },
        ExpressionAttributeValues: { ':pk': keys.owner(filter.owner), ':prefix': 'OPP#' },
      },
    ];
  }
  return [
    {
      ...base,
      IndexName: findIndex.name,
      KeyConditionExpression: '#pk = :pk',
      ...(filter.owner ? { FilterExpression: '#owner = :owner' } : {}),
      ExpressionAttributeNames: { '#pk': findIndex.partitionKey, ...(filter.owner ? { '#owner': ownerAttribute(kind) } : {}) },
      ExpressionAttributeValues: {
        ':pk': findIndex.list(listKind[kind]),
        ...(filter.owner ? { ':owner': filter.owner.toLowerCase() } : {}),
      },
    },
  ];
};

/** The records, page by page, as the domain reads them. */
export async function* exportPages(kind: ExportKind, filter: ExportFilter): AsyncGenerator<Item[]> {
  for (const query of queriesFor(kind, filter)) {
    for await (const page of queryPages(query)) {
      if (page.Items?.length) yield page.Items.map((item) => fromItem<Item>(item));
    }
  }
}
