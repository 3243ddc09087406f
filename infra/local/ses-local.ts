import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';

/** aws-ses-v2-local: the SES v1 and v2 APIs, and a page at / that shows every email sent. */
export const startSesLocal = async (options: { host: string; port: number }) => {
  type Start = (config: { host: string; port: number }) => Promise<Server>;
  const start = ((sesModule as unknown as { default?: Start }).default ?? sesModule) as unknown as Start;
  const server = await start({ host: options.host, port: options.port });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
};
