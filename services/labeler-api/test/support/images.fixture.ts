import { randomUUID } from 'node:crypto';
import type { ImagePage } from '@hydra/contracts';
import { Classification, Image, Model } from '@hydra/db';
import { simulatePlot, type SimulatedPlot } from '@hydra/simulator';
import { storeImage } from '@hydra/testing';
import type { ApiClient, ApiReply, LabelerApiHarness } from './labeler-api.harness';

let plot: SimulatedPlot | undefined;

/** Where an image comes from and what it is kept for; each field has a plain default. */
export interface ImageSpec {
  plotType: string;
  runNumber?: number;
  keep?: boolean;
  keepReason?: Image['keepReason'];
  capturedAt?: Date;
}

/** Stores a realistic plot as ingest would (the same pixels, a distinct image each time). */
export async function addImage(api: LabelerApiHarness, spec: ImageSpec): Promise<Image> {
  plot ??= await simulatePlot('FCAL_occupancy', 'Good', 7);
  const image = await storeImage(api.bed.db, api.bed.store, plot, spec.plotType, plot.png);
  const keep = spec.keep ?? spec.keepReason !== undefined;
  const changes = {
    runNumber: spec.runNumber ?? 1,
    keep,
    keepReason: keep ? (spec.keepReason ?? 'sample') : null,
    ...(spec.capturedAt && { capturedAt: spec.capturedAt }),
  };
  await api.bed.db.getRepository(Image).update({ id: image.id }, changes);
  return { ...image, ...changes };
}

/** A verdict as the classifier records it; `outputs` default to the verdict at `confidence`. */
export async function addVerdict(
  api: LabelerApiHarness,
  imageId: string,
  verdict: string,
  confidence: number,
  options: {
    confirmed?: boolean;
    outputs?: Record<string, number>;
    classifiedAt?: Date;
    modelId?: string;
  } = {},
): Promise<void> {
  const others = ['Good', 'Bad', 'NoData'].filter((label) => label !== verdict);
  const rest = (1 - confidence) / others.length;
  await api.bed.db.getRepository(Classification).insert({
    imageId,
    modelId: options.modelId ?? null,
    verdict,
    confidence,
    outputs: options.outputs ?? {
      [verdict]: confidence,
      ...Object.fromEntries(others.map((label) => [label, rest])),
    },
    thresholds: { Good: 0.5, Bad: 0.5, NoData: 0.5 },
    confirmed: options.confirmed ?? true,
    latencyMs: 3,
    classifiedAt: options.classifiedAt ?? new Date(),
  });
}

/** Every page of a list, following `nextCursor` until it runs out. */
export async function allPages(
  client: Pick<ApiClient, 'get'>,
  path: string,
): Promise<{ pages: number; ids: string[] }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const reply: ApiReply<ImagePage> = await client.get<ImagePage>(
      cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path,
    );
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    ids.push(...reply.body.items.map((item) => item.id));
    cursor = reply.body.nextCursor;
    pages += 1;
  } while (cursor);
  return { pages, ids };
}

/** A model row (no artifacts): enough for verdicts and heat maps to refer to. */
export async function addModel(api: LabelerApiHarness, plotType: string): Promise<string> {
  const id = randomUUID();
  await api.bed.db.getRepository(Model).insert({
    id,
    plotType,
    architecture: 'hydra-cnn',
    status: 'candidate',
    labels: ['Good', 'Bad', 'NoData'],
    inputShape: [64, 64, 3],
    artifactPrefix: `models/${plotType}/${id}/`,
    trainedBy: 'test',
  });
  return id;
}
