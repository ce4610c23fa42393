import type { TrainingProgressEvent } from '@hydra/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../composables/notices', () => ({
  notices: { error: vi.fn(), warning: vi.fn(), success: vi.fn() },
}));

import { useLibraryStore } from './library';
import { newBatchId, relabelChoices } from './library-report';

const JOB = '00000000-0000-4000-8000-000000000001';
const MODEL = '00000000-0000-4000-8000-0000000000aa';

function reply(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const progress = (phase: TrainingProgressEvent['phase'], epoch: number | null): TrainingProgressEvent =>
  ({
    jobId: JOB,
    phase,
    epoch,
    totalEpochs: 6,
    loss: 0.4,
    valLoss: 0.5,
    accuracy: 0.8,
    valAccuracy: 0.75,
    etaS: 10,
  }) as TrainingProgressEvent;

describe('the library store', () => {
  let fetchMock: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    setActivePinia(createPinia());
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
  });

  it('tracks the job it started and follows its progress events', async () => {
    const library = useLibraryStore();
    library.plotType = 'FCAL';
    fetchMock.mockResolvedValueOnce(
      reply(202, { id: JOB, plotType: 'FCAL', status: 'queued', progress: null, error: null }),
    );
    await library.train({ epochs: 6 });
    expect(JSON.parse(fetchMock.mock.calls[0]?.[1].body)).toEqual({ options: { epochs: 6 } });
    expect(library.job).toMatchObject({ jobId: JOB, phase: 'queued', percent: 0 });
    expect(library.training).toBe(true);

    await library.onProgress(progress('training', 3));
    expect(library.job).toMatchObject({ epoch: 3, percent: 48, valAccuracy: 0.75 });
    await library.onProgress(progress('done', null));
    expect(library.training).toBe(false);
  });

  it('looks up a job started elsewhere once, to learn its plot type', async () => {
    const library = useLibraryStore();
    library.plotType = 'FCAL';
    fetchMock.mockResolvedValue(
      reply(200, { id: JOB, plotType: 'FCAL', status: 'running', progress: null, error: null }),
    );
    await library.onProgress(progress('training', 1));
    expect(library.job).toMatchObject({ jobId: JOB, epoch: 1 });
    await library.onProgress(progress('training', 2));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(library.job?.epoch).toBe(2);
  });

  it("keeps the server's refusal for the page to show", async () => {
    const library = useLibraryStore();
    library.plotType = 'FCAL';
    fetchMock.mockResolvedValueOnce(
      reply(409, { statusCode: 409, message: `model ${MODEL} is already in production` }),
    );
    await library.promote(MODEL);
    expect(library.actionError).toBe(`model ${MODEL} is already in production`);
    expect(library.busy).toBeNull();
  });

  it('keeps the newest list when an older answer arrives after it', async () => {
    const library = useLibraryStore();
    library.plotType = 'FCAL';
    const listing = (production: boolean) => [
      { id: MODEL, plotType: 'FCAL', status: 'candidate', production },
    ];
    let answerFirst: (response: Response) => void = () => undefined;
    fetchMock.mockReturnValueOnce(new Promise<Response>((resolve) => (answerFirst = resolve)));
    fetchMock.mockResolvedValueOnce(reply(200, listing(true)));
    const before = library.loadModels();
    await library.loadModels();
    answerFirst(reply(200, listing(false)));
    await before;
    expect(library.models.map((model) => model.production)).toEqual([true]);
    expect(library.loading).toBe(false);
  });

  it('opens the model the address names when a reload supersedes the list it asked for', async () => {
    const library = useLibraryStore();
    const listing = [{ id: MODEL, plotType: 'FCAL', status: 'candidate', production: false }];
    const answers: ((response: Response) => void)[] = [];
    fetchMock.mockImplementation((url: string) =>
      String(url).endsWith('/plot-types/FCAL/models')
        ? new Promise<Response>((resolve) => answers.push(resolve))
        : Promise.resolve(reply(200, { ...listing[0], metrics: {}, thresholds: [] })),
    );
    const opened = library.open('FCAL', MODEL);
    // The live feed's first reload asks again before the page's own list has come back.
    library.loadModels();
    answers[0]?.(reply(200, listing));
    await opened;
    answers[1]?.(reply(200, listing));
    await vi.waitFor(() => expect(library.detail?.id).toBe(MODEL));
    expect(library.selectedId).toBe(MODEL);
  });

  it('asks what training would cost before it starts, and says nothing when it cannot', async () => {
    const library = useLibraryStore();
    library.plotType = 'FCAL';
    const cost = {
      architecture: 'inception-v3',
      input: { height: 299, width: 299 },
      images: 290,
      secondsPerImage: 1.3,
      secondsPerEpoch: 283,
    };
    fetchMock.mockResolvedValueOnce(reply(200, cost));
    expect(await library.estimate({ architecture: 'inception-v3' })).toEqual(cost);
    expect(fetchMock.mock.calls[0]?.[0]).toMatch(/\/plot-types\/FCAL\/training\/estimate$/);
    expect(JSON.parse(fetchMock.mock.calls[0]?.[1].body)).toEqual({
      options: { architecture: 'inception-v3' },
    });
    fetchMock.mockResolvedValueOnce(reply(404, { message: 'no plot type "FCAL"' }));
    expect(await library.estimate({})).toBeNull();
  });
});

describe('relabeling', () => {
  it('offers the palette, else the model classes', () => {
    const palette = [{ label: 'Good', colour: '#0f0', hotkey: '1', excludedFromTraining: false }];
    expect(relabelChoices(palette, ['Good', 'Bad'])).toEqual(['Good']);
    expect(relabelChoices([], ['Good', 'Bad'])).toEqual(['Good', 'Bad']);
  });

  it('makes a version-4 batch id', () => {
    expect(newBatchId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
