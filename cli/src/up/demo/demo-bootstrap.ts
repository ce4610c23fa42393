import { randomUUID } from 'node:crypto';
import type { ImageUploadResponse, PlotTypeResponse } from '@hydra/contracts';
import { simulateDataset } from '@hydra/simulator';
import { sleep } from '../ports';
import { DEMO_PLOT_TYPES, DEMO_RUN_PERIOD, TRAINING_RUN } from './demo-plots';
import { CliError, type HydraApi } from '../../api/hydra-api';

/** The compact model at its own input size: a model worth watching in about a minute on a laptop's CPU. */
// No cross-validation rounds: the demo's first verdicts should come within minutes.
// One candidate, the image alone (the simulator's faults show without a residual): the first
// verdicts come after one training per plot type, not two.
const TRAINING_OPTIONS = {
  architecture: 'hydra-cnn',
  epochs: 15,
  seed: 7,
  crossValidationFolds: 0,
  medianResidual: 0,
};

const PLOT_TYPE_SETTINGS = {
  group: 'Demo',
  palette: [
    { label: 'Good', hotkey: '1' },
    { label: 'Bad', hotkey: '2' },
    { label: 'NoData', hotkey: '3' },
    { label: 'Ignore', hotkey: '4' },
  ],
  // The demo's first models learn from a small set: gates a newcomer's model can pass.
  trainingGates: { minTestPerClass: 1, minBadRecall: 0.3, maxRegression: 0.5 },
  autoPromote: true,
  alarm: { onDelay: 3, offDelay: 3, enabled: true },
};

export interface DemoBootstrapOptions {
  api: HydraApi;
  /** Labeled plots per plot type. */
  imagesPerPlotType: number;
  report: (line: string) => void;
  /** Aborted when hydra up stops: the bootstrap ends at its next step (a later start resumes it). */
  signal: AbortSignal;
}

/**
 * The demo's first start, through the real path: registers the plot types, uploads a run of
 * simulated plots as a feeder would (`POST /api/images`, which hands them to ingest), labels them
 * (the simulator knows the truth), asks for training and waits until each model is in production.
 */
export async function bootstrapDemo(options: DemoBootstrapOptions): Promise<Record<string, string>> {
  const { api, report } = options;
  const models: Record<string, string> = {};
  const jobs = new Map<string, string>();
  for (const [index, plotType] of DEMO_PLOT_TYPES.entries()) {
    // A start that was stopped half-way has put some models in production already: those stay.
    const inProduction = await registerPlotType(api, plotType);
    if (inProduction) {
      models[plotType] = inProduction;
      continue;
    }
    const labels = await uploadTrainingRun(options, plotType, index);
    const items = [...labels].map(([imageId, label]) => ({ imageId, label }));
    await api.post(`/plot-types/${plotType}/labels`, { batchId: randomUUID(), items });
    jobs.set(plotType, await requestTraining(api, plotType));
    report(`demo: ${plotType}: ${items.length} plots labeled, training requested`);
  }
  for (const [plotType, jobId] of jobs) {
    try {
      models[plotType] = await waitForProduction(options, plotType, jobId);
      report(`demo: ${plotType}: model ${models[plotType]} trained and in production`);
    } catch (error) {
      // One plot type's weak model does not hold the others back; its model library says why.
      if (options.signal.aborted) throw error;
      report(`demo: ${plotType}: ${(error as Error).message}`);
    }
  }
  return models;
}

/** Makes the plot type or sets the demo's settings on it; returns its production model, if it has one. */
async function registerPlotType(api: HydraApi, name: string): Promise<string | null> {
  const known = (await api.get<PlotTypeResponse[]>('/plot-types')).find((plotType) => plotType.name === name);
  // Ingest may have met the plot type first (insert-if-absent), or an interrupted first start made it.
  if (known) await api.request('PATCH', `/plot-types/${name}`, PLOT_TYPE_SETTINGS);
  else await api.post('/plot-types', { name, ...PLOT_TYPE_SETTINGS });
  return known?.activeModelId ?? null;
}

/**
 * Uploads the labeled run of one plot type; returns each image's true label (an empty plot is the
 * same bytes every time: one image, however often it comes).
 */
async function uploadTrainingRun(
  { api, imagesPerPlotType, signal }: DemoBootstrapOptions,
  plotType: (typeof DEMO_PLOT_TYPES)[number],
  index: number,
): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  let chunk = 0;
  for await (const plot of simulateDataset({ plotType, count: imagesPerPlotType, seed: 1000 + index })) {
    signal.throwIfAborted();
    const query = new URLSearchParams({
      plotType,
      runPeriod: DEMO_RUN_PERIOD,
      runNumber: String(TRAINING_RUN),
      chunk: String(++chunk),
    });
    const { imageId } = await api.upload<ImageUploadResponse>(`/images?${query}`, plot.png, 'image/png');
    labels.set(imageId, plot.label);
  }
  return labels;
}

async function requestTraining(api: HydraApi, plotType: string): Promise<string> {
  try {
    return (await api.post<{ id: string }>(`/plot-types/${plotType}/training`, { options: TRAINING_OPTIONS }))
      .id;
  } catch (error) {
    // An interrupted first start left a job going (409 naming it): follow that one.
    const running = /already being trained \(job ([0-9a-f-]{36})\)/.exec((error as Error).message)?.[1];
    if (error instanceof CliError && running) return running;
    throw error;
  }
}

/** The production model once the job is done (auto-promoted, or promoted here when it was not). */
async function waitForProduction(
  { api, signal }: DemoBootstrapOptions,
  plotType: string,
  jobId: string,
): Promise<string> {
  const deadline = Date.now() + 1_200_000;
  let succeededAt: number | null = null;
  for (;;) {
    signal.throwIfAborted();
    const job = await api.get<{ status: string; error: string | null }>(`/training-jobs/${jobId}`);
    if (job.status === 'failed' || job.status === 'cancelled')
      throw new Error(`training ${plotType} ${job.status}: ${job.error ?? ''}`);
    const { activeModelId } = await api.get<PlotTypeResponse>(`/plot-types/${plotType}`);
    if (activeModelId) return activeModelId;
    if (job.status === 'succeeded') succeededAt ??= Date.now();
    // Auto-promotion follows the trainer's announcement within moments; promote here only if it did not.
    if (succeededAt !== null && Date.now() - succeededAt > 10_000)
      return promoteModelOf(api, plotType, jobId);
    if (Date.now() > deadline) throw new Error(`training ${plotType} did not end in 20 minutes`);
    await sleep(2_000);
  }
}

async function promoteModelOf(api: HydraApi, plotType: string, jobId: string): Promise<string> {
  const models = await api.get<
    { id: string; status: string; rejectionReason: string | null; trainingJobId: string }[]
  >(`/plot-types/${plotType}/models`);
  const model = models.find((candidate) => candidate.trainingJobId === jobId);
  if (model?.status !== 'candidate')
    throw new Error(
      `training ${plotType} made no candidate: ${model?.rejectionReason ?? 'no model recorded'}`,
    );
  await api.post(`/models/${model.id}/promote`);
  return model.id;
}
