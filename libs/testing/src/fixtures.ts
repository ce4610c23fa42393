import { createHash, randomUUID } from 'node:crypto';
import {
  Image,
  ImageLabel,
  Label,
  LabelBatch,
  Model,
  ModelThreshold,
  PlotType,
  PlotTypeLabel,
  User,
} from '@hydra/db';
import { createClassifier, imageToInput, initialiseBackend, loadModelArtifacts } from '@hydra/ml';
import { provideTestModel, TEST_MODEL, type TestModel } from '@hydra/ml/testing';
import {
  type SimulatedLabel,
  type SimulatedPlot,
  type SimulatedPlotType,
  simulatePlot,
} from '@hydra/simulator';
import type { ObjectStore } from '@hydra/storage';
import { type DataSource, In } from 'typeorm';

/** Registers the trained test model as a candidate of `plotType`, with these thresholds. */
export async function registerTestModel(
  db: DataSource,
  store: ObjectStore,
  plotType: string,
  thresholds: Record<string, number>,
): Promise<{ modelId: string; model: TestModel }> {
  const modelId = randomUUID();
  const artifactPrefix = `models/${plotType}/${modelId}/`;
  const model = await provideTestModel(store, artifactPrefix);
  await db
    .getRepository(PlotType)
    .upsert({ name: plotType, alarmOnDelay: 3, alarmOffDelay: 2, collectPercent: 0 }, ['name']);
  await db.getRepository(Model).insert({
    id: modelId,
    plotType,
    architecture: 'hydra-cnn',
    status: 'candidate',
    labels: [...TEST_MODEL.labels],
    inputShape: [TEST_MODEL.input.height, TEST_MODEL.input.width, TEST_MODEL.input.channels],
    artifactPrefix,
    metrics: { summary: { accuracy: model.validationAccuracy } },
    trainedBy: 'test',
  });
  await db.getRepository(ModelThreshold).insert(
    Object.entries(thresholds).map(([label, threshold]) => ({
      modelId,
      label,
      threshold,
      setBy: 'max_f1',
      setAt: new Date(),
    })),
  );
  return { modelId, model };
}

/** Puts `modelId` in production for its plot type, as labeler-api's promotion does. */
export async function activate(db: DataSource, plotType: string, modelId: string): Promise<void> {
  await db.getRepository(PlotType).update({ name: plotType }, { activeModelId: modelId });
  await db.getRepository(Model).update({ id: modelId }, { promotedAt: new Date(), promotedBy: 'test' });
}

/** Stores a plot's bytes and its `image` row as ingest would; plots get increasing capture times. */
export async function storeImage(
  db: DataSource,
  store: ObjectStore,
  plot: Pick<SimulatedPlot, 'width' | 'height'>,
  plotType: string,
  bytes: Buffer,
): Promise<Image> {
  const id = randomUUID();
  const sha256 = createHash('sha256').update(bytes).update(id).digest('hex');
  const storageKey = `images/${plotType}/1/${sha256}.png`;
  await store.put(storageKey, bytes);
  await db.getRepository(PlotType).upsert({ name: plotType }, ['name']);
  const fields = {
    id,
    plotType,
    runPeriod: '2026-01',
    runNumber: 1,
    chunk: null,
    pad: null,
    capturedAt: new Date((clock += 1000)),
    sha256,
    storageKey,
    sizeBytes: bytes.length,
    width: plot.width,
    height: plot.height,
  };
  await db.getRepository(Image).insert(fields);
  return db.getRepository(Image).findOneByOrFail({ id });
}

let clock = Date.now();

/** A verdict row of `modelId` for an image, as the classifier stores it: `confidence` on the verdict, the rest spread. */
export function verdictRow(
  imageId: string,
  modelId: string,
  verdict: string,
  { confidence, threshold, confirmed }: { confidence: number; threshold: number; confirmed: boolean },
) {
  const labels = ['Good', 'Bad', 'NoData'];
  const others = (1 - confidence) / (labels.length - 1);
  return {
    imageId,
    modelId,
    verdict,
    confidence,
    outputs: Object.fromEntries(labels.map((label) => [label, label === verdict ? confidence : others])),
    thresholds: Object.fromEntries(labels.map((label) => [label, threshold])),
    confirmed,
    latencyMs: 1,
  };
}

/**
 * Gives each image its expert label in one batch by `labeler`, as labeler-api records labeling;
 * labels new to the database or to the plot type's palette are added (in order of appearance).
 */
export async function labelImages(
  db: DataSource,
  plotType: string,
  items: { imageId: string; label: string }[],
  labeler = 'expert',
): Promise<void> {
  const names = [...new Set(items.map((item) => item.label))];
  await db.transaction(async (manager) => {
    // Labels and the labeler are added only when new.
    await manager
      .createQueryBuilder()
      .insert()
      .into(Label)
      .values(names.map((name) => ({ name, colour: '#808080' })))
      .orIgnore()
      .execute();
    const labels = await manager.getRepository(Label).findBy({ name: In(names) });
    const idOf = (name: string) => labels.find((label) => label.name === name)?.id as number;
    const palette = await manager.getRepository(PlotTypeLabel).findBy({ plotType });
    const missing = names.filter((name) => !palette.some((entry) => entry.labelId === idOf(name)));
    if (missing.length > 0)
      await manager
        .getRepository(PlotTypeLabel)
        .insert(
          missing.map((name, index) => ({ plotType, labelId: idOf(name), position: palette.length + index })),
        );
    await manager
      .createQueryBuilder()
      .insert()
      .into(User)
      .values({ name: labeler, role: 'labeler' })
      .orIgnore()
      .execute();
    const user = await manager.getRepository(User).findOneByOrFail({ name: labeler });
    const batchId = randomUUID();
    await manager.getRepository(LabelBatch).insert({
      id: batchId,
      userId: user.id,
      plotType,
      items: items.map((item) => ({ ...item, previousLabel: null })),
    });
    await manager.getRepository(ImageLabel).upsert(
      items.map((item) => ({
        imageId: item.imageId,
        labelId: idOf(item.label),
        batchId,
        labeledAt: new Date(),
      })),
      ['imageId'],
    );
  });
}

/**
 * Simulated plots of each label that the model under `artifactPrefix` judges right with at least
 * `minConfidence`, so a test's verdicts (and the alarms they drive) are certain.
 */
export async function confidentPlots(
  store: ObjectStore,
  artifactPrefix: string,
  plotType: SimulatedPlotType,
  counts: Partial<Record<SimulatedLabel, number>>,
  minConfidence = 0.75,
): Promise<Record<SimulatedLabel, SimulatedPlot[]>> {
  await initialiseBackend();
  const loaded = await loadModelArtifacts(store, artifactPrefix);
  const classifier = await createClassifier(loaded);
  const result: Record<SimulatedLabel, SimulatedPlot[]> = { Good: [], Bad: [], NoData: [] };
  try {
    for (const [label, count] of Object.entries(counts) as [SimulatedLabel, number][]) {
      const index = loaded.manifest.labels.indexOf(label);
      for (let seed = 10_000 * (index + 1); result[label].length < count; seed++) {
        const plot = await simulatePlot(plotType, label, seed);
        const [output] = await classifier.predict([
          await imageToInput(plot.png, loaded.manifest.input, loaded.manifest.ignoreRegions),
        ]);
        if ((output?.[index] ?? 0) >= minConfidence) result[label].push(plot);
      }
    }
  } finally {
    await classifier.dispose();
  }
  return result;
}
