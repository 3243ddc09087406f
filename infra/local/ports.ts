/** API.md's local endpoints; each port can be moved by its variable. */
export const localPorts = {
  api: Number(process.env.SALESFLOW_API_PORT ?? 3000),
  dynamodb: Number(process.env.SALESFLOW_DYNAMODB_PORT ?? 8000),
  ses: Number(process.env.SALESFLOW_SES_PORT ?? 8005),
  stepFunctions: Number(process.env.SALESFLOW_SFN_PORT ?? 8083),
  scheduler: Number(process.env.SALESFLOW_SCHEDULER_PORT ?? 8084),
};

export const localHost = '127.0.0.1';

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
