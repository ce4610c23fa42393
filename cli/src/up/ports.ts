import { connect, createServer } from 'node:net';

export { freePort } from '@hydra/service';

/** Fails with the fact a user needs when `port` is taken (another Hydra, another program). */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `port ${port} is in use by another program; choose another with --port`
              : `port ${port}: ${error.message}`,
          ),
        ),
      )
      .listen(port, () => server.close(() => resolve()));
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
      .once('connect', () => {
        socket.destroy();
        resolve(true);
      })
      .once('error', () => resolve(false));
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
