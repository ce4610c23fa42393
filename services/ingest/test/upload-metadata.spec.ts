import { INTERNAL_TOKEN_HEADER } from '@hydra/service';
import { simulatePlot } from '@hydra/simulator';
import { imageCount, INTERNAL_TOKEN, type IngestBed, startIngestBed, upload } from './support/ingest-bed';

let ingest: IngestBed;
let png: Buffer;

async function storedObjects(): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of ingest.store.list('images/')) keys.push(object.key);
  return keys;
}

beforeAll(async () => {
  ingest = await startIngestBed('hydra_ingest_metadata');
  png = (await simulatePlot('CDC_timing', 'Good', 21)).png;
}, 60_000);

afterAll(() => ingest?.stop());

describe('POST /images metadata', () => {
  it.each([
    ['a run number past the int4 column', 'runNumber=99999999999'],
    ['a chunk past the int4 column', 'runNumber=1&chunk=99999999999'],
    ['an empty run number', 'runNumber='],
    ['an empty chunk', 'runNumber=1&chunk='],
    ['a hexadecimal run number', 'runNumber=0x1F'],
    ['a run number in exponent form', 'runNumber=1e3'],
    ['a fractional run number', 'runNumber=1.5'],
    ['a negative chunk', 'runNumber=1&chunk=-1'],
    ['a run number with spaces', 'runNumber=%201'],
  ])('answers %s with 400 before anything is stored', async (_case, query) => {
    const count = await imageCount(ingest.db);
    const response = await upload(ingest.url, `plotType=CDC_timing&${query}`, png);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/runNumber|chunk/);
    expect(await imageCount(ingest.db)).toBe(count);
    expect(await storedObjects()).toEqual([]);
  });

  it.each([
    ['plotType', 'plotType=CDC%00timing&runNumber=1'],
    ['runPeriod', 'plotType=CDC_timing&runNumber=1&runPeriod=2026%00-01'],
    ['pad', 'plotType=CDC_timing&runNumber=1&pad=1%00'],
    ['capturedAt', 'plotType=CDC_timing&runNumber=1&capturedAt=2026-01-01T00:00:00Z%00'],
    ['runNumber', 'plotType=CDC_timing&runNumber=1%00'],
    ['chunk', 'plotType=CDC_timing&runNumber=1&chunk=%002'],
  ])('answers a NUL character in %s with 400', async (_field, query) => {
    const response = await upload(ingest.url, query, png);
    expect(response.status).toBe(400);
    expect(await storedObjects()).toEqual([]);
  });

  it('answers a NUL character in a multipart field with 400', async () => {
    const form = new FormData();
    form.set('plotType', 'CDC_timing');
    form.set('runNumber', '1');
    form.set('runPeriod', '2026\u0000-01');
    form.set('image', new Blob([png], { type: 'image/png' }), 'plot\u0000.png');
    const response = await fetch(`${ingest.url}/images`, {
      method: 'POST',
      body: form,
      headers: { [INTERNAL_TOKEN_HEADER]: INTERNAL_TOKEN },
    });
    expect(response.status).toBe(400);
  });

  it('still takes the largest run number and chunk the columns hold, with leading zeros', async () => {
    const response = await upload(
      ingest.url,
      'plotType=CDC_timing&runNumber=002147483647&chunk=2147483647',
      png,
    );
    expect(response.status).toBe(201);
    expect(await storedObjects()).toEqual([expect.stringMatching(/^images\/CDC_timing\/2147483647\//)]);
  });
});
