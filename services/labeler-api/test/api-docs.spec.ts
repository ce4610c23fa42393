import { type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

let api: LabelerApiHarness;

beforeAll(async () => {
  api = await startLabelerApi();
});
afterAll(() => api.stop());

describe('the API description', () => {
  it('is OpenAPI 3 with each route’s access rule and request schemas from the zod contracts', async () => {
    const document = (await api.anonymous.get('/api/docs/openapi.json')).body;
    expect(document.openapi).toMatch(/^3\./);
    const label = document.paths['/api/plot-types/{plotType}/labels'].post;
    expect(label.summary).toBe('needs the labeler role and the label permission on the plot type');
    expect(label.parameters).toEqual([
      expect.objectContaining({
        name: 'plotType',
        in: 'path',
        schema: expect.objectContaining({ pattern: expect.any(String) }),
      }),
    ]);
    const body = label.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['batchId', 'items']));
    expect(body.properties.items.maxItems).toBe(10_000);
    expect(document.paths['/api/auth/login'].post.security).toEqual([]);
    // Query objects are spread into one parameter per field.
    const images = document.paths['/api/images'].get.parameters.map(
      (parameter: { name: string }) => parameter.name,
    );
    expect(images).toEqual(expect.arrayContaining(['plotType', 'runFrom', 'cursor', 'limit']));
  });

  it('is browsable at /api/docs', async () => {
    const page = await fetch(`${api.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/swagger/i);
  });
});

describe('signed links of the local object store', () => {
  it('serve the object while the signature holds, and refuse a forged or expired one', async () => {
    await api.bed.store.put('heatmaps/example/model.png', Buffer.from('not really a png'));
    const signed = new URL(await api.bed.store.presignedGetUrl('heatmaps/example/model.png', 60));
    const path = `${signed.pathname}${signed.search}`;
    const good = await fetch(`${api.url}${path}`);
    expect([good.status, await good.text()]).toEqual([200, 'not really a png']);
    const forged = await fetch(`${api.url}${path.replace('signature=', 'signature=0')}`);
    expect(forged.status).toBe(403);
    const expired = new URL(await api.bed.store.presignedGetUrl('heatmaps/example/model.png', -1));
    expect((await fetch(`${api.url}${expired.pathname}${expired.search}`)).status).toBe(403);
  });
});
