import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  InvalidObjectKeyError,
  LocalObjectStore,
  ObjectNotFoundError,
  type ObjectStore,
  S3ObjectStore,
  serveSignedObjects,
} from '../src';
import { type S3TestServer, startS3TestServer } from '../src/testing';

const PART_SIZE = 5 * 1024 * 1024;
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(1000)]);

interface StoreUnderTest {
  store: ObjectStore;
  cleanup: () => Promise<void>;
}

// A gateway's first requests on a loaded CI machine can take seconds.
jest.setTimeout(30_000);

// One gateway for the whole file: a Ceph cluster takes seconds to start.
let s3Server: Promise<S3TestServer> | undefined;
const sharedS3Server = () => (s3Server ??= startS3TestServer());
afterAll(async () => (await s3Server)?.stop());

async function s3Store(): Promise<StoreUnderTest> {
  const server = await sharedS3Server();
  const store = new S3ObjectStore({ ...server, bucket: 'hydra-test', partSize: PART_SIZE });
  await store.ensureBucket();
  return { store, cleanup: async () => undefined };
}

async function localStore(): Promise<StoreUnderTest> {
  const root = mkdtempSync(join(tmpdir(), 'hydra-objects-'));
  const httpServer = createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as { port: number };
  const store = new LocalObjectStore({
    root,
    signingSecret: 'test-secret-0123456789',
    publicBaseUrl: `http://127.0.0.1:${port}/objects`,
  });
  const handler = serveSignedObjects(store);
  httpServer.on('request', (request, response) => {
    request.url = request.url?.replace(/^\/objects/, '');
    void handler(request, response);
  });
  return {
    store,
    cleanup: async () => {
      await new Promise((resolve) => httpServer.close(resolve));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

describe.each([
  ['S3 (Ceph RADOS Gateway)', s3Store],
  ['local folder', localStore],
])('object store on %s', (_name, open) => {
  let subject: StoreUnderTest;
  let store: ObjectStore;

  beforeAll(async () => {
    subject = await open();
    store = subject.store;
  }, 120_000);
  afterAll(() => subject.cleanup());

  it('round-trips an object with its size and content type', async () => {
    const key = 'images/FCAL_occupancy/123456/round-trip.png';
    const written = await store.put(key, png, { contentType: 'image/png' });
    expect(written).toMatchObject({ key, size: png.length, contentType: 'image/png' });
    expect(await store.get(key)).toEqual(png);
    expect(await store.stat(key)).toMatchObject({ size: png.length, etag: written.etag });
  });

  it('streams in and out', async () => {
    const key = 'models/CDC_timing/m1/weights.bin';
    const bytes = randomBytes(300_000);
    await store.put(key, Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]));
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream(key)) chunks.push(chunk as Buffer);
    // Buffer.equals: Jest's toEqual walks 300,000 elements one by one (seconds on a loaded machine).
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('uploads an object larger than the part size intact', async () => {
    const key = 'models/BCAL/big/weights.bin';
    const bytes = randomBytes(2 * PART_SIZE + 12_345);
    const written = await store.put(key, bytes);
    expect(written.size).toBe(bytes.length);
    expect((await store.get(key)).equals(bytes)).toBe(true);
    // An S3 multipart upload's ETag ends in "-<number of parts>".
    if (store instanceof S3ObjectStore) expect(Number(written.etag.split('-')[1])).toBeGreaterThan(1);
  }, 60_000);

  it('lists by prefix and deletes', async () => {
    await store.put('thumbs/list/a.webp', Buffer.from('a'));
    await store.put('thumbs/list/b.webp', Buffer.from('bb'));
    await store.put('thumbs/listing-other/c.webp', Buffer.from('c'));
    const listed = [];
    for await (const info of store.list('thumbs/list/')) listed.push([info.key, info.size]);
    expect(listed).toEqual([
      ['thumbs/list/a.webp', 1],
      ['thumbs/list/b.webp', 2],
    ]);
    await store.delete('thumbs/list/a.webp');
    await store.delete('thumbs/list/never-existed.webp');
    expect(await store.stat('thumbs/list/a.webp')).toBeNull();
  });

  it('says which object is missing', async () => {
    await expect(store.get('images/none/1/missing.png')).rejects.toThrow(ObjectNotFoundError);
    await expect(store.get('images/none/1/missing.png')).rejects.toThrow(
      'no object "images/none/1/missing.png"',
    );
  });

  it('serves a presigned GET and refuses a tampered one', async () => {
    const key = 'heatmaps/img-1/model-1.png';
    await store.put(key, png, { contentType: 'image/png' });
    const url = await store.presignedGetUrl(key, 60);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png);
    const tampered = url.replace(
      /([Ss]ignature=)([0-9a-f])/,
      (_match, name, digit) => `${name}${digit === '0' ? '1' : '0'}`,
    );
    expect((await fetch(tampered)).status).toBe(403);
  });

  it.each(['../outside.png', 'images/../../etc/passwd', '/rooted', 'images//x.png', 'images/.hidden'])(
    'rejects the key %j before touching the store',
    async (key) => {
      await expect(store.put(key, png)).rejects.toThrow(InvalidObjectKeyError);
      await expect(store.get(key)).rejects.toThrow(InvalidObjectKeyError);
      await expect(store.presignedGetUrl(key, 60)).rejects.toThrow(InvalidObjectKeyError);
    },
  );

  it('answers its health check', async () => {
    await expect(store.check()).resolves.toBeUndefined();
  });
});

describe('S3 credentials', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await sharedS3Server();
  }, 120_000);

  it('rejects a wrong secret key', async () => {
    const good = new S3ObjectStore({ ...server, bucket: 'hydra-credentials' });
    await good.ensureBucket();
    const wrong = new S3ObjectStore({ ...server, secretKey: 'not-the-secret', bucket: 'hydra-credentials' });
    await expect(wrong.put('images/x/1/y.png', png)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(wrong.check()).rejects.toThrow();
    expect(await good.stat('images/x/1/y.png')).toBeNull();
  });
});
