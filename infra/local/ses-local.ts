import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';
import { ensurePortFree, PortInUseError } from './ports';

/** aws-ses-v2-local: the SES v1 and v2 APIs, and a page at / that shows every email sent. */
export const startSesLocal = async (options: { host: string; port: number }) => {
  type Start = (config: { host: string; port: number }) => Promise<Server>;
  const start = ((sesModule as unknown as { default?: Start }).default ?? sesModule) as unknown as Start;
  await ensurePortFree('ses', options.host, options.port);
  const server = await start({ host: options.host, port: options.port });
  // Its listen resolves even when the bind failed (Express passes the error to the callback), leaving
  // a server with no address: a port taken between the check above and here.
  const address = server.address() as AddressInfo | null;
  if (!address) throw new PortInUseError([{ name: 'ses', host: options.host, port: options.port }]);
  return {
    url: `http://${options.host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
};
