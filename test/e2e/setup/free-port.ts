import { createServer, type Server } from 'node:net';

/**
 * Returns `count` distinct TCP ports on 127.0.0.1 that were free a moment
 * ago. All stay bound until the last is picked, so no port is returned twice.
 * The caller's processes bind them later, so another process could take one
 * in between. This is the same race that envtest accepts.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(await listenOnFreePort(server));
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

async function listenOnFreePort(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('failed to read the port of a listening socket');
  }
  return address.port;
}
