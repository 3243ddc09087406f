import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs. They carry ids, route keys, statuses and error names: never names,
 * email addresses, phone numbers or message text, which stay in the table.
 */
export const logger = new Logger({ serviceName: 'salesflow' });
