/** docs/api.md's local endpoints; each port can be moved by its variable. */
export const localPorts = {
  api: Number(process.env.SALESFLOW_API_PORT ?? 3000),
  dynamodb: Number(process.env.SALESFLOW_DYNAMODB_PORT ?? 8000),
  ses: Number(process.env.SALESFLOW_SES_PORT ?? 8005),
  stepFunctions: Number(process.env.SALESFLOW_SFN_PORT ?? 8083),
  scheduler: Number(process.env.SALESFLOW_SCHEDULER_PORT ?? 8084),
};

export const localHost = '127.0.0.1';

export type PortName = keyof typeof localPorts;

/** What each port serves and the variable that moves it, for the message when one is taken. */
const portNames: Record<PortName, { what: string; variable: string }> = {
  api: { what: 'the HTTP API', variable: 'SALESFLOW_API_PORT' },
  dynamodb: { what: 'DynamoDB Local', variable: 'SALESFLOW_DYNAMODB_PORT' },
  ses: { what: 'SES', variable: 'SALESFLOW_SES_PORT' },
  stepFunctions: { what: 'Step Functions', variable: 'SALESFLOW_SFN_PORT' },
  scheduler: { what: 'the scheduler', variable: 'SALESFLOW_SCHEDULER_PORT' },
};

/** One or more of the stack's ports already taken by another process (often another stack). */
export class PortInUseError extends Error {
  constructor(readonly taken: { name: PortName; host: string; port: number }[]) {
    super(
      taken
        .map(({ name, host, port }) => {
          const { what, variable } = portNames[name];
          return `Port ${port} on ${host} (${what}) is already in use: stop what holds it, or set ${variable} to a free port.`;
        })
        .join('\n'),
    );
    this.name = 'PortInUseError';
  }
}

export const isAddressInUse = (error: unknown) => (error as { code?: string } | null)?.code === 'EADDRINUSE';

/** Whether host:port can be listened on now; 0 (any free port) always can. */
export const portIsFree = async (host: string, port: number): Promise<boolean> => {
  if (port === 0) return true;
  const { createServer } = await import('node:net');
  return new Promise<boolean>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => (isAddressInUse(error) ? resolve(false) : reject(error)));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
};

/** Refuses, naming the port and its variable, when host:port is taken. */
export const ensurePortFree = async (name: PortName, host: string, port: number) => {
  if (!(await portIsFree(host, port))) throw new PortInUseError([{ name, host, port }]);
};

/** A free port on loopback, for a process that cannot be told "any port" and report it (Java). */
export const freePort = async (): Promise<number> => {
  const { createServer } = await import('node:net');
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, localHost, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
};

/** Starts `server` on host:port (0 for any free one); its URL, and a close that drops idle keep-alives. */
export const listen = async (server: import('node:http').Server, host: string, port: number) => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as { port: number };
  return {
    url: `http://${host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
