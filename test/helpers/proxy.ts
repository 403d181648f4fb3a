/**
 * A TCP relay in front of a loopback model server, to make a "host" die and come back on the same
 * address: `down()` drops every connection and stops listening (clients get ECONNREFUSED), `up()`
 * listens on the same port again.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface Relay {
  /** `http://127.0.0.1:<port>`, stable across down() and up(). */
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startRelay(target: string): Promise<Relay> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listenOnce = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(Number(targetPort), hostname);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });

  /**
   * up() must get the same port back, and while the relay was down anything may have taken it: a
   * listener of another test file, or (more likely) the local end of an outgoing connection, which
   * goes away when that connection closes. So EADDRINUSE is retried for up to 20 s.
   */
  const listen = async (): Promise<void> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        return await listenOnce();
      } catch (err) {
        if (port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  const down = (): Promise<void> =>
    new Promise((resolve) => {
      const s = server;
      server = undefined;
      for (const sock of sockets) sock.destroy();
      if (!s) return resolve();
      s.close(() => resolve());
    });

  await listen();
  return { url: `http://127.0.0.1:${port}`, down, up: listen, close: down };
}
