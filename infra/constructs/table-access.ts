import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { buildSync } from 'esbuild';
import { projectRoot } from './salesflow-function';

/**
 * Whether a handler's bundle deletes items (esbuild's own account of it): the code that takes a
 * person's answer back, and the erasure of personal data (GDPR art. 17) and of expired suspects.
 */
const deletingAdapters = [
  'functions/adapters/person-steps.ts',
  'functions/adapters/personal-data.ts',
  'functions/adapters/search-refile.ts',
];
const deletesItems = (entry: string) =>
  Object.keys(
    buildSync({
      entryPoints: [entry],
      absWorkingDir: projectRoot,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      outdir: 'unused',
      logLevel: 'silent',
    }).metafile!.inputs,
  ).some((input) => deletingAdapters.includes(input));

const tableActions = {
  reads: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  writes: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  deletes: ['dynamodb:DeleteItem'],
};

/**
 * Least privilege on the table: nothing scans or writes in batches. Only a handler whose bundle can
 * take a person's answer back (person-steps.ts, which deletes that one timeline entry) may delete.
 */
export class TableAccess {
  constructor(private readonly table: ITableV2) {}

  grantRecords(grantee: IGrantable, ...access: (keyof typeof tableActions)[]) {
    return this.table.grant(grantee, ...access.flatMap((kind) => tableActions[kind]));
  }

  /** Reads and writes; deletes too if the handler's bundle holds a deleting adapter. */
  grantWrites(grantee: IGrantable, entry: string) {
    return this.grantRecords(grantee, 'reads', 'writes', ...(deletesItems(entry) ? (['deletes'] as const) : []));
  }
}
