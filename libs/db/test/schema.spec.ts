import { randomUUID } from 'node:crypto';
import type { DataSource, QueryFailedError } from 'typeorm';
import { createDataSource, migrate } from '../src/data-source';
import { Classification, Image, Model, PlotType, TrainingJob } from '../src/entities';
import { createTestDatabase, type TestDatabase } from '../src/testing';

describe('database schema', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database.drop();
  });

  it('applies every migration to an empty database, and a second run applies none', async () => {
    const first = await migrate(database.url);
    expect(first).toContain('InitialSchema1795727949422');
    expect(await migrate(database.url)).toEqual([]);
    dataSource = await createDataSource(database.url).initialize();
  });

  it('leaves nothing for migration:generate to generate', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  describe('constraints', () => {
    const sha256 = () => randomUUID().replace(/-/g, '').padEnd(64, 'a');
    const image = (plotType: string, hash = sha256()) => ({
      plotType,
      runPeriod: '2026-01',
      runNumber: 42,
      chunk: 1,
      pad: null,
      capturedAt: new Date(),
      sha256: hash,
      storageKey: `images/${plotType}/42/${hash}.png`,
      sizeBytes: 1000,
      width: 64,
      height: 48,
    });
    const constraintOf = (error: unknown) =>
      (error as QueryFailedError & { driverError: { constraint?: string } }).driverError.constraint;

    beforeAll(async () => {
      await dataSource.getRepository(PlotType).save({ name: 'FCAL_occupancy' });
    });

    it('rejects a second delivery of one plot (plot type, run, chunk, pad and bytes), not the same bytes elsewhere', async () => {
      const hash = sha256();
      await dataSource.getRepository(Image).save(image('FCAL_occupancy', hash));
      const error = await dataSource
        .getRepository(Image)
        .insert(image('FCAL_occupancy', hash))
        .catch((caught) => caught);
      expect(constraintOf(error)).toBe('image_delivery_unique');
      // An empty plot looks the same in every chunk: each is its own image.
      await dataSource.getRepository(Image).insert({ ...image('FCAL_occupancy', hash), chunk: 2 });
      expect(await dataSource.getRepository(Image).countBy({ sha256: hash })).toBe(2);
    });

    it('rejects an image of a plot type it does not know', async () => {
      const error = await dataSource
        .getRepository(Image)
        .insert(image('Unknown_plot'))
        .catch((caught) => caught);
      expect(error).toBeDefined();
      expect((error as Error).message).toMatch(/foreign key/);
    });

    it('rejects a second classification of one image by one model, and a second "no model" verdict', async () => {
      const stored = await dataSource.getRepository(Image).save(image('FCAL_occupancy'));
      const model = await dataSource.getRepository(Model).save({
        plotType: 'FCAL_occupancy',
        architecture: 'hydra-cnn',
        status: 'candidate',
        labels: ['Good', 'Bad'],
        inputShape: [128, 128, 3],
        artifactPrefix: 'models/FCAL_occupancy/x/',
        trainedBy: 'test',
      });
      const verdict = (modelId: string | null) => ({
        imageId: stored.id,
        modelId,
        verdict: 'Good',
        confidence: 0.9,
        outputs: { Good: 0.9, Bad: 0.1 },
        thresholds: { Good: 0.5, Bad: 0.5 },
        confirmed: true,
        latencyMs: 1.2,
      });
      const classifications = dataSource.getRepository(Classification);
      await classifications.insert(verdict(model.id));
      expect(constraintOf(await classifications.insert(verdict(model.id)).catch((caught) => caught))).toBe(
        'classification_image_model_unique',
      );
      await classifications.insert(verdict(null));
      expect(constraintOf(await classifications.insert(verdict(null)).catch((caught) => caught))).toBe(
        'classification_image_without_model_unique',
      );
    });

    it('rejects a confidence outside [0, 1]', async () => {
      const stored = await dataSource.getRepository(Image).save(image('FCAL_occupancy'));
      const error = await dataSource
        .getRepository(Classification)
        .insert({
          imageId: stored.id,
          modelId: null,
          verdict: 'NoModel',
          confidence: 1.5,
          outputs: {},
          thresholds: {},
          confirmed: false,
          latencyMs: 0,
        })
        .catch((caught) => caught);
      expect(constraintOf(error)).toBe('classification_confidence_range');
    });

    it('allows one queued or running training job per plot type', async () => {
      const jobs = dataSource.getRepository(TrainingJob);
      const job = (status: TrainingJob['status']) => ({
        id: randomUUID(),
        plotType: 'FCAL_occupancy',
        requestedBy: 'expert',
        status,
      });
      await jobs.insert(job('succeeded'));
      await jobs.insert(job('queued'));
      expect(constraintOf(await jobs.insert(job('running')).catch((caught) => caught))).toBe(
        'training_job_one_active_per_plot_type',
      );
    });

    it('rejects a plot type name that could not be a subject token', async () => {
      const error = await dataSource
        .getRepository(PlotType)
        .insert({ name: 'bad.name' })
        .catch((caught) => caught);
      expect(constraintOf(error)).toBe('plot_type_name_charset');
    });
  });
});
