import { defaultJetStreamOptions, JetStreamConnection } from '../src/jetstream/jetstream.connection';
import { isolatedStream, type PrivateNatsServer, startPrivateNatsServer } from '../src/testing';

// A service stopped while its broker is down must still stop (it used to wait on the drain forever).
describe('closing a connection whose broker is gone', () => {
  let server: PrivateNatsServer;

  beforeAll(async () => {
    server = await startPrivateNatsServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('closes after the drain deadline instead of waiting for the broker', async () => {
    const connection = await JetStreamConnection.open({
      ...defaultJetStreamOptions,
      ...isolatedStream(),
      servers: [server.url],
      connectionName: 'close-without-broker',
    });
    // Something to drain: with the broker gone, its unsubscribe can never be confirmed.
    connection.nats.subscribe('close-without-broker.>');
    const disconnected = (async () => {
      for await (const status of connection.nats.status()) if (status.type === 'disconnect') return;
    })();
    await server.stop();
    await disconnected;

    await connection.close(500);

    expect(connection.nats.isClosed()).toBe(true);
  });
});
