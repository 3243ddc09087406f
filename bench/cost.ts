import { rawDb } from '#adapters/dynamodb';
import { schedules } from '#functions/schedules';
import { defaultMemoryMb, mailFeedback, workers } from '#functions/workers';
import { onInvocation } from '../infra/local/project';
import { prices } from './prices';

/**
 * Section 5's meter: every DynamoDB call the handlers make in this process asks for its consumed
 * capacity (ReturnConsumedCapacity: TOTAL), and the meter adds it up, reads and writes apart.
 * The handlers are unchanged; the meter is a middleware on their shared client.
 */
const reads = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const writes = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

export interface Units {
  apiRequests: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  readUnits: number;
  writeUnits: number;
  transitions: number;
  emails: number;
  schedulerInvocations: number;
}

export const capacityMeter = () => {
  const totals = { readUnits: 0, writeUnits: 0 };
  rawDb().middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const input = args.input as Record<string, unknown>;
      if ((reads.has(command) || writes.has(command)) && input && !input.ReturnConsumedCapacity) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const entry of [consumed].flat() as { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }[]) {
        if (!entry) continue;
        if (writes.has(command)) totals.writeUnits += entry.WriteCapacityUnits ?? entry.CapacityUnits ?? 0;
        else totals.readUnits += entry.ReadCapacityUnits ?? entry.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'benchCapacityMeter' },
  );
  return { snapshot: () => ({ ...totals }) };
};

/** What the units cost at list prices, by component, and which dominates. */
export const priced = (units: Units) => {
  const parts = {
    lambda: units.lambdaInvocations * prices.lambdaRequest + units.lambdaGbSeconds * prices.lambdaArmGbSecond,
    apiGateway: units.apiRequests * prices.httpApiRequest,
    dynamodb: units.readUnits * prices.dynamodbRead + units.writeUnits * prices.dynamodbWrite,
    stepFunctions: units.transitions * prices.stepFunctionsTransition,
    ses: units.emails * prices.sesEmail,
    scheduler: units.schedulerInvocations * prices.schedulerInvocation,
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  const dominant = Object.entries(parts).sort((a, b) => b[1] - a[1])[0]![0];
  return {
    units,
    usd: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, Number(v.toPrecision(3))])),
    totalUsd: Number(total.toPrecision(3)),
    dominant,
  };
};

/** Every Lambda invocation the local stack makes, with its measured duration at its memory size. */
export const lambdaMeter = () => {
  const memoryMb = new Map<string, number>([
    ...Object.values(workers).map((w) => [w.entry, w.memoryMb] as [string, number]),
    ...Object.values(schedules).map((s) => [s.entry, s.memoryMb] as [string, number]),
    [mailFeedback.entry, mailFeedback.memoryMb],
  ]);
  const totals = { invocations: 0, gbSeconds: 0 };
  onInvocation(({ entry, millis }) => {
    totals.invocations += 1;
    totals.gbSeconds += (Math.ceil(millis) / 1000) * ((memoryMb.get(entry) ?? defaultMemoryMb) / 1024);
  });
  return { snapshot: () => ({ ...totals }) };
};
