/**
 * Structured JSON logs. They carry ids, route keys, statuses and error names: never names,
 * email addresses, phone numbers or message text, which stay in the table.
 *
 * One JSON line per entry with the fields Powertools Logger wrote before it (level, message,
 * timestamp, service, xray_trace_id, then the keys given), so log queries keep working; about
 * 20 KB less in every bundle. Info and debug go to stdout, warnings and errors to stderr. The
 * level is POWERTOOLS_LOG_LEVEL (or LOG_LEVEL), INFO if unset; Lambda's own log level
 * (AWS_LAMBDA_LOG_LEVEL), when the stack sets one, is the floor.
 */

const thresholds = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type Level = keyof typeof thresholds;

const service = 'salesflow';
/** Written by the logger itself: a key given with the same name is dropped. */
const reserved = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate', 'xray_trace_id']);

const levelFrom = (name: string | undefined): Level | undefined => {
  const upper = name?.trim().toUpperCase();
  const level = upper === 'FATAL' ? 'CRITICAL' : upper;
  return level && level in thresholds ? (level as Level) : undefined;
};

/** Read at each entry, so a setting made after this module loaded (tests, the local stack) counts. */
const threshold = () => {
  const chosen = thresholds[levelFrom(process.env.POWERTOOLS_LOG_LEVEL || process.env.LOG_LEVEL) ?? 'INFO'];
  const lambdaFloor = levelFrom(process.env.AWS_LAMBDA_LOG_LEVEL);
  return lambdaFloor ? Math.max(chosen, thresholds[lambdaFloor]) : chosen;
};

interface InvokeStore {
  getXRayTraceId?: () => string | undefined;
}

/** "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=...;Sampled=1" -> the Root. */
const traceId = () => {
  const store = (globalThis as { awslambda?: { InvokeStore?: InvokeStore } }).awslambda?.InvokeStore;
  const header = store?.getXRayTraceId?.() ?? process.env._X_AMZN_TRACE_ID ?? '';
  if (!header.includes('=')) return header || undefined;
  return /(?:^|;)Root=([^;]*)/.exec(header)?.[1];
};

/** Where the error was thrown: the first "(file:line:column)" of its stack, as "file:line". */
const locationOf = (stack: string | undefined) => {
  const match = stack
    ?.split('\n')
    .map((line) => /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(line))
    .find(Boolean);
  return match ? `${match[1]}:${Number(match[2])}` : '';
};

const errorFields = (error: Error): Record<string, unknown> => {
  const { name: _name, message: _message, stack: _stack, cause: _cause, ...own } = error as Error & Record<string, unknown>;
  return {
    name: error.name,
    location: locationOf(error.stack),
    message: error.message,
    stack: error.stack,
    cause: error.cause instanceof Error ? errorFields(error.cause) : error.cause,
    ...own,
  };
};

/** Errors as their fields (anywhere in the entry), bigints as text, a value seen twice on one path (a cycle) left out. */
const replacer = () => {
  const path: object[] = [];
  return function (this: unknown, _key: string, value: unknown) {
    const replaced = value instanceof Error ? errorFields(value) : typeof value === 'bigint' ? value.toString() : value;
    if (typeof replaced === 'object' && replaced !== null) {
      while (path.length > 0 && path.at(-1) !== this) path.pop();
      if (path.includes(replaced)) return undefined;
      path.push(replaced);
    }
    return replaced;
  };
};

const write = (level: Level, message: string, attributes: Record<string, unknown> = {}) => {
  if (thresholds[level] < threshold()) return;
  const entry: Record<string, unknown> = {
    level,
    message,
    timestamp: new Date().toISOString(),
    service,
    xray_trace_id: traceId(),
  };
  for (const [key, value] of Object.entries(attributes)) if (!reserved.has(key)) entry[key] = value;
  // Like Powertools: an empty top-level field is left out.
  for (const key of Object.keys(entry)) if (entry[key] === undefined || entry[key] === null || entry[key] === '') delete entry[key];
  let line: string;
  try {
    line = `${JSON.stringify(entry, replacer())}\n`;
  } catch {
    // A value that cannot be written (a throwing toJSON) costs its keys, never the entry or the caller.
    line = `${JSON.stringify({ level, message, timestamp: entry.timestamp, service, xray_trace_id: entry.xray_trace_id, unwritable_keys: true })}\n`;
  }
  (thresholds[level] >= thresholds.WARN ? process.stderr : process.stdout).write(line);
};

export const logger = {
  debug: (message: string, attributes?: Record<string, unknown>) => write('DEBUG', message, attributes),
  info: (message: string, attributes?: Record<string, unknown>) => write('INFO', message, attributes),
  warn: (message: string, attributes?: Record<string, unknown>) => write('WARN', message, attributes),
  error: (message: string, attributes?: Record<string, unknown>) => write('ERROR', message, attributes),
};
