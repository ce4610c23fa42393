import { randomUUID } from 'node:crypto';
import { hydraCnnPlotInput } from '@hydra/contracts';
import { PlotType } from '@hydra/db';
import { addImage } from './support/images.fixture';
import { type ApiClient, type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

// Starting the app migrates a fresh database: slow on a busy machine.
jest.setTimeout(60_000);

const PLOT = 'ESTIMATE_plot';
let api: LabelerApiHarness;
let expert: ApiClient;

beforeAll(async () => {
  api = await startLabelerApi();
  await api.plotTypes(PLOT, 'EMPTY_plot');
  expert = await api.client('expert', [{ plotType: PLOT, canLabel: true, canTrain: true }]);
  const images = [];
  for (let index = 0; index < 5; index++) images.push(await addImage(api, { plotType: PLOT }));
  const labels = ['Good', 'Good', 'Bad', 'Bad', 'NoData'];
  const labeled = await expert.post(`/api/plot-types/${PLOT}/labels`, {
    batchId: randomUUID(),
    items: images.map((image, index) => ({ imageId: image.id, label: labels[index] })),
  });
  expect(labeled.status).toBe(201);
});
afterAll(() => api?.stop());

const estimate = (client: ApiClient, options: object, plotType = PLOT) =>
  client.post(`/api/plot-types/${plotType}/training/estimate`, { options });

describe('the cost of training, said before it starts', () => {
  it('counts the labeled images and scales the time per image with the input', async () => {
    const small = await estimate(expert, {
      architecture: 'inception-v3',
      input: { height: 150, width: 150 },
    });
    const full = await estimate(expert, { architecture: 'inception-v3' });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({
      architecture: 'inception-v3',
      input: { height: 299, width: 299 },
      images: 5,
    });
    expect(full.body.secondsPerImage).toBeGreaterThan(3 * small.body.secondsPerImage);
    expect(full.body.secondsPerEpoch).toBeCloseTo(full.body.secondsPerImage * 5 * 0.75, 1);
    expect(full.body.candidates).toBe(1);
  });

  it('counts both candidates where the trainer chooses the median residual, and one where it is set', async () => {
    const input = { height: 72, width: 96 };
    const chosen = (await estimate(expert, { input })).body;
    expect(chosen.candidates).toBe(2);
    expect(chosen.secondsPerEpoch).toBeCloseTo(chosen.secondsPerImage * 5 * 0.75 * 2, 2);
    for (const medianResidual of [0, 5]) {
      const set = (await estimate(expert, { input, medianResidual })).body;
      expect(set).toMatchObject({ candidates: 1, secondsPerImage: chosen.secondsPerImage });
      expect(set.secondsPerEpoch).toBeCloseTo(chosen.secondsPerEpoch / 2, 2);
    }
    expect((await estimate(expert, { parentModelId: randomUUID() })).body.candidates).toBe(1);
  });

  it("assumes hydra-cnn's default input as the trainer chooses it from the plot type's images", async () => {
    const reply = await estimate(expert, {});
    expect(reply.status).toBe(200);
    // The fixture's plots are 400 × 300: the trainer keeps that aspect within its pixel budget.
    expect(reply.body.input).toEqual(hydraCnnPlotInput({ width: 400, height: 300 }));
    expect(reply.body.input).toEqual({ height: 72, width: 96 });
  });

  it('counts the cross-validation rounds a run with few labeled images adds, as the request or the plot type sets them', async () => {
    const full = await estimate(expert, { architecture: 'hydra-cnn', input: { height: 72, width: 96 } });
    const { secondsPerImage } = full.body;
    // 5 images, every class under 30 test images: 5 rounds, each training on 3 folds and validating on 1.
    expect(full.body.crossValidation.folds).toBe(5);
    expect(full.body.crossValidation.secondsPerEpoch).toBeCloseTo(secondsPerImage * 5 * (3 + 1 / 3), 2);
    const three = await estimate(expert, { crossValidationFolds: 3, input: { height: 72, width: 96 } });
    expect(three.body.crossValidation.folds).toBe(3);
    expect(three.body.crossValidation.secondsPerEpoch).toBeCloseTo(secondsPerImage * 5 * (1 + 1 / 3), 2);
    expect((await estimate(expert, { crossValidationFolds: 0 })).body.crossValidation).toBeNull();
    // A fine-tune's starting weights may have seen every image: no fold would be unseen.
    expect((await estimate(expert, { parentModelId: randomUUID() })).body.crossValidation).toBeNull();
    // More folds than images: nothing to cross-validate.
    expect((await estimate(expert, { crossValidationFolds: 7 })).body.crossValidation).toBeNull();
    await api.bed.db
      .getRepository(PlotType)
      .update({ name: PLOT }, { trainingDefaults: { crossValidationFolds: 0 } });
    expect((await estimate(expert, {})).body.crossValidation).toBeNull();
    expect((await estimate(expert, { crossValidationFolds: 4 })).body.crossValidation.folds).toBe(4);
    const refused = await estimate(expert, { crossValidationFolds: 2 });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('crossValidationFolds is 0 (off) or 3 to 10');
  });

  it("follows the plot type's defaults, leaves out images whose label is excluded from training, and knows an empty plot type", async () => {
    await api.bed.db
      .getRepository(PlotType)
      .update({ name: PLOT }, { trainingDefaults: { architecture: 'mobilenet-v2' } });
    expect((await estimate(expert, {})).body.architecture).toBe('mobilenet-v2');
    await api.bed.db.query(`UPDATE label SET excluded_from_training = true WHERE name = 'NoData'`);
    expect((await estimate(expert, {})).body.images).toBe(4);
    expect((await estimate(expert, {}, 'EMPTY_plot')).body).toMatchObject({ images: 0, secondsPerEpoch: 0 });
    expect((await estimate(expert, {}, 'Nope')).status).toBe(404);
    expect((await estimate(expert, { epochs: 0 })).status).toBe(400);
  });

  it('comes with the 202 of a training request', async () => {
    const requested = await expert.post(`/api/plot-types/${PLOT}/training`, {
      options: { architecture: 'hydra-cnn', input: { height: 72, width: 96 } },
    });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({
      plotType: PLOT,
      status: 'queued',
      estimate: { architecture: 'hydra-cnn', input: { height: 72, width: 96 }, images: 4 },
    });
  });
});
