import { importStreamFilter, outboxStreamFilter, rollupStreamFilter, serviceDeskStreamFilter } from '#adapters/table-design';

/**
 * The functions that run from events rather than HTTP, and what feeds them. The CDK stack wires
 * each to its event source; the local stack runs the same handler from its stand-in.
 */
export const workers = {
  mailDelivery: {
    entry: 'functions/mail/deliver.ts',
    description: 'Delivers queued emails through SES (the outbox)',
    tableStream: { filter: outboxStreamFilter, batchSize: 10, retryAttempts: 8 },
    memoryMb: 512,
  },
  serviceDeskSync: {
    entry: 'functions/support/service-desk-sync.ts',
    description: "R21: copies support registrations to the external service desk's webhook",
    tableStream: { filter: serviceDeskStreamFilter, batchSize: 10, retryAttempts: 8 },
    memoryMb: 1024,
  },
  reportRollups: {
    entry: 'functions/reports/rollups.ts',
    description: "The reports' counters: each lead, opportunity, quote, order and campaign change added to its month's rollups",
    tableStream: { filter: rollupStreamFilter, batchSize: 25, retryAttempts: 8 },
    memoryMb: 512,
  },
  importChunks: {
    entry: 'functions/imports/import-worker.ts',
    description: 'Makes the accounts and leads of a CSV import, a stored chunk at a time',
    // One chunk (1,000 records) a batch: a chunk takes seconds, a batch must finish in the timeout.
    tableStream: { filter: importStreamFilter, batchSize: 1, retryAttempts: 8 },
    memoryMb: 1024,
  },
} as const;

/**
 * R2: SES's bounce and complaint notifications, through SNS from the configuration set. Only on
 * AWS: the local SES neither bounces nor takes complaints.
 */
export const mailFeedback = {
  entry: 'functions/marketing/ses-feedback.ts',
  description: 'R2: permanent bounces and complaints take addresses off bulk mail',
  memoryMb: 1024,
} as const;

/** Memory of every other function (API groups, workflow steps): SalesflowFunction's default. */
export const defaultMemoryMb = 1024;
