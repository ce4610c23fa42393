import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

let api: LabelerApiHarness;
let webDir: string;

beforeAll(async () => {
  webDir = await mkdtemp(join(tmpdir(), 'hydra-web-'));
  await mkdir(join(webDir, 'assets'));
  await writeFile(join(webDir, 'index.html'), '<!doctype html><title>Hydra</title><div id="app"></div>');
  await writeFile(join(webDir, 'assets', 'index-3f2a.js'), 'console.log("hydra")');
  api = await startLabelerApi({ WEB_DIR: webDir });
});
afterAll(async () => {
  await api.stop();
  await rm(webDir, { recursive: true, force: true });
});

describe('the web app beside the API', () => {
  it('answers every page path with index.html, uncached, so the app’s router takes it', async () => {
    for (const path of ['/', '/run', '/labeler/FCAL_occupancy']) {
      const response = await fetch(`${api.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<title>Hydra</title>');
    }
  });

  it('caches hashed assets for good', async () => {
    const response = await fetch(`${api.url}/assets/index-3f2a.js`);
    expect(await response.text()).toBe('console.log("hydra")');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('leaves the API, the probes and unknown API paths to the server', async () => {
    const unknown = await fetch(`${api.url}/api/no-such-route`);
    expect(unknown.headers.get('content-type')).toMatch(/application\/json/);
    expect([401, 404]).toContain(unknown.status);
    expect(((await (await fetch(`${api.url}/health/live`)).json()) as { status: string }).status).toBe('ok');
  });
});
