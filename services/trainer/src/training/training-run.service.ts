import { randomUUID } from 'node:crypto';
import {
  type ModelMetricsSummary,
  Subjects,
  type TrainingPhase,
  type TrainingRequestedEvent,
} from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import {
  argMax,
  buildModel,
  createClassifier,
  type EpochProgress,
  exportForServing,
  imageToInput,
  loadModelArtifacts,
  maxF1Thresholds,
  saveModelArtifacts,
  TfjsClassifier,
  TrainingCancelledError,
  trainModel,
  type ValidationReport,
  validationReport,
} from '@hydra/ml';
import { OBJECT_STORE, type ObjectStore } from '@hydra/storage';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type Dataset, DatasetBuilder, type SplitImage } from '../dataset/dataset-builder';
import { TrainingJobRepository } from '../jobs/training-job.repository';
import { TRAINER_CONFIG, type TrainerConfig } from '../trainer.config';
import { gateFailures, trainingGates } from './gates';
import { ModelRepository } from './model.repository';
import { type ResolvedTrainingOptions, resolveTrainingOptions } from './training-options';

const SHUTTING_DOWN = 'the trainer is shutting down';

/** Predictions are made this many images at a time. */
const PREDICT_BATCH = 32;

/**
 * One press of "Train", start to finish: claim the job, draw and split the labeled images, train
 * with progress and heartbeats, validate against production on the same test images, check the
 * gates, store the artifacts and the model row, announce `model.trained`.
 */
@Injectable()
export class TrainingRunService implements OnModuleDestroy {
  private readonly logger = new Logger(TrainingRunService.name);
  /** The job being trained here, stopped when the process is asked to stop. */
  private readonly running = new Map<string, AbortController>();

  constructor(
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly jobs: TrainingJobRepository,
    private readonly models: ModelRepository,
    private readonly datasets: DatasetBuilder,
    private readonly events: EventPublisher,
  ) {}

  /** A stopping trainer gives its job back rather than training on for an hour (pods are stopped on every roll-out). */
  onModuleDestroy(): void {
    for (const controller of this.running.values()) controller.abort(SHUTTING_DOWN);
  }

  async run(request: TrainingRequestedEvent): Promise<void> {
    // A heartbeat missed four times over: the trainer that had the job is gone, and this delivery of
    // its message (after the broker's ack wait) takes it over from the start.
    const job = await this.jobs.claim(request.jobId, this.config.heartbeatMs * 4);
    if (!job) {
      this.logger.log(`job ${request.jobId} is finished or running elsewhere; nothing to do`);
      return;
    }
    const cancel = new AbortController();
    this.running.set(request.jobId, cancel);
    let latest: Record<string, unknown> | undefined;
    const heartbeat = setInterval(() => {
      void this.jobs.heartbeat(request.jobId, latest).then(
        (running) => running || cancel.abort(),
        (error: Error) => this.logger.warn(`heartbeat of job ${request.jobId}: ${error.message}`),
      );
    }, this.config.heartbeatMs);
    const progress = async (phase: TrainingPhase, epoch?: EpochProgress, totalEpochs?: number) => {
      const event = await this.events.publish(Subjects.trainingProgress, {
        jobId: request.jobId,
        phase,
        epoch: epoch ? epoch.epoch + 1 : null,
        totalEpochs: totalEpochs ?? null,
        loss: finite(epoch?.loss),
        valLoss: finite(epoch?.valLoss),
        accuracy: finite(epoch?.accuracy),
        valAccuracy: finite(epoch?.valAccuracy),
        etaS: epoch ? epoch.etaS : null,
      });
      latest = event;
    };
    try {
      await this.train(request, progress, cancel.signal);
      await this.jobs.finish(request.jobId, 'succeeded');
    } catch (error) {
      if (cancel.signal.reason === SHUTTING_DOWN) {
        await this.jobs.requeue(request.jobId);
        // Thrown, so the message is not acknowledged and another trainer takes the job.
        throw new Error(`trainer stopping: job ${request.jobId} put back in the queue`);
      }
      const cancelled = error instanceof TrainingCancelledError;
      this.logger.warn(
        `job ${request.jobId} ${cancelled ? 'cancelled' : `failed: ${(error as Error).message}`}`,
      );
      await this.jobs.finish(
        request.jobId,
        cancelled ? 'cancelled' : 'failed',
        cancelled ? null : (error as Error).message,
      );
      await progress(cancelled ? 'cancelled' : 'failed');
    } finally {
      clearInterval(heartbeat);
      this.running.delete(request.jobId);
    }
  }

  private async train(
    request: TrainingRequestedEvent,
    progress: (phase: TrainingPhase, epoch?: EpochProgress, totalEpochs?: number) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const started = Date.now();
    await progress('preparing');
    const plotType = await this.models.plotType(request.plotType);
    if (!plotType) throw new Error(`no plot type "${request.plotType}"`);
    const options = resolveTrainingOptions(plotType.trainingDefaults, request.options);
    const gates = trainingGates.parse(plotType.trainingGates);
    const parent = options.parentModelId ? await this.loadParent(options.parentModelId) : null;
    const dataset = await this.datasets.build(
      plotType.name,
      request.jobId,
      parent?.manifest.input ?? options.input,
      options.seed,
      parent?.manifest.labels,
    );
    const { model, gradCamLayer } = parent
      ? { model: parent.model, gradCamLayer: parent.manifest.gradCamLayer }
      : buildModel({
          architecture: options.architecture,
          input: options.input,
          classes: dataset.labels.length,
          widthMultiplier: options.widthMultiplier,
          seed: options.seed,
        });
    try {
      await progress('training', undefined, options.epochs);
      const result = await trainModel(model, dataset.train, dataset.validation, {
        epochs: options.epochs,
        batchSize: options.batchSize,
        learningRate: options.learningRate,
        optimizer: options.optimizer,
        balancing: options.balancing,
        referenceClass: Math.max(0, dataset.labels.indexOf('Bad')),
        earlyStopping: { patience: options.patience, minDelta: 0.005 },
        seed: options.seed,
        signal,
        onEpoch: (epoch) => void progress('training', epoch, options.epochs),
      });
      await progress('validating');
      const input = parent?.manifest.input ?? options.input;
      const candidate = new TfjsClassifier(model, input);
      const testProbabilities = await predictAll(candidate.predict.bind(candidate), dataset.test.inputs);
      const validationProbabilities = await predictAll(
        candidate.predict.bind(candidate),
        dataset.validation.inputs,
      );
      const report = validationReport(dataset.labels, dataset.test.labels, testProbabilities);
      const thresholds = maxF1Thresholds(dataset.labels, dataset.validation.labels, validationProbabilities);
      const production = await this.productionReport(plotType.activeModelId, dataset);
      const failures = gateFailures(report, production?.report ?? null, gates);
      // The int8 model is checked on the images the float one was validated on.
      const onnxModels = await exportForServing(model, input, {
        calibration: dataset.train.inputs,
        check: [...dataset.validation.inputs, ...dataset.test.inputs],
      });

      await progress('saving');
      const modelId = randomUUID();
      const artifactPrefix = `models/${plotType.name}/${modelId}/`;
      await saveModelArtifacts(
        this.store,
        artifactPrefix,
        model,
        {
          architecture: parent?.manifest.architecture ?? options.architecture,
          labels: dataset.labels,
          input,
          gradCamLayer,
        },
        onnxModels,
      );
      const summary: ModelMetricsSummary = {
        accuracy: report.accuracy,
        macroF1: report.macroF1,
        badRecall: report.perClass.find((metrics) => metrics.label === 'Bad')?.recall ?? null,
        testImages: report.count,
      };
      const status = failures.length === 0 ? 'candidate' : 'rejected';
      const reason = failures.length === 0 ? null : failures.join('; ');
      await this.models.insert(
        {
          id: modelId,
          plotType: plotType.name,
          architecture: (parent?.manifest.architecture ??
            options.architecture) as ResolvedTrainingOptions['architecture'],
          status,
          rejectionReason: reason,
          parentModelId: options.parentModelId,
          trainingJobId: request.jobId,
          labels: dataset.labels,
          inputShape: [input.height, input.width, input.channels],
          artifactPrefix,
          metrics: {
            summary,
            report,
            production,
            thresholds,
            serving: {
              precision: onnxModels.serving,
              reason: onnxModels.reason,
              int8: onnxModels.comparison,
            },
            history: result.history,
            bestEpoch: result.bestEpoch,
            microBatch: result.microBatch,
            stoppedEarly: result.stoppedEarly,
            dataset: datasetSizes(dataset),
            disagreements: [
              ...disagreements(dataset.validationImages, validationProbabilities, dataset.labels),
              ...disagreements(dataset.testImages, testProbabilities, dataset.labels),
            ],
            options,
            trainingSeconds: (Date.now() - started) / 1000,
          },
          trainedBy: request.requestedBy,
        },
        Object.fromEntries(Object.entries(thresholds).map(([label, { threshold }]) => [label, threshold])),
      );
      await progress('done');
      await this.events.publish(Subjects.modelTrained, {
        modelId,
        plotType: plotType.name,
        jobId: request.jobId,
        status,
        reason,
        metrics: summary,
      });
      this.logger.log(
        `job ${request.jobId}: ${status} model ${modelId} for ${plotType.name}, test accuracy ${report.accuracy.toFixed(3)}${reason ? ` (${reason})` : ''}, serving ${onnxModels.serving}${onnxModels.reason ? ` (${onnxModels.reason})` : ''}`,
      );
    } finally {
      model.dispose();
    }
  }

  /** Fine-tuning starts from the parent's weights, input and labels. */
  private async loadParent(parentModelId: string) {
    const row = await this.models.model(parentModelId);
    if (!row) throw new Error(`no parent model ${parentModelId}`);
    return loadModelArtifacts(this.store, row.artifactPrefix);
  }

  /** The production model re-run on the candidate's test images: a like-for-like comparison. */
  private async productionReport(
    modelId: string | null,
    dataset: Dataset,
  ): Promise<{ modelId: string; report: ValidationReport } | null> {
    if (!modelId) return null;
    const row = await this.models.model(modelId);
    if (!row) return null;
    const loaded = await loadModelArtifacts(this.store, row.artifactPrefix);
    const labels = loaded.manifest.labels;
    if (dataset.labels.some((label) => !labels.includes(label))) {
      this.logger.warn(
        `production model ${modelId} lacks some of ${dataset.labels.join(', ')}: no comparison`,
      );
      loaded.model.dispose();
      return null;
    }
    const classifier = await createClassifier(loaded);
    try {
      const inputs = await Promise.all(
        dataset.testBytes.map((bytes) => imageToInput(bytes, loaded.manifest.input)),
      );
      const probabilities = await predictAll((batch) => classifier.predict(batch), inputs);
      // Its outputs in the candidate's label order.
      const reordered = probabilities.map((row) =>
        dataset.labels.map((label) => row[labels.indexOf(label)] as number),
      );
      return { modelId, report: validationReport(dataset.labels, dataset.test.labels, reordered) };
    } finally {
      await classifier.dispose();
    }
  }
}

async function predictAll(
  predict: (inputs: Float32Array[]) => Promise<number[][]>,
  inputs: Float32Array[],
): Promise<number[][]> {
  const result: number[][] = [];
  for (let start = 0; start < inputs.length; start += PREDICT_BATCH)
    result.push(...(await predict(inputs.slice(start, start + PREDICT_BATCH))));
  return result;
}

/** Hydra's training report: each image where the model and the experts disagree, for relabeling. */
function disagreements(images: SplitImage[], probabilities: number[][], labels: string[]) {
  return images.flatMap((image, index) => {
    const row = probabilities[index] as number[];
    const verdict = argMax(row);
    return verdict === image.labelIndex
      ? []
      : [
          {
            imageId: image.imageId,
            split: image.split,
            label: image.label,
            verdict: labels[verdict],
            confidence: row[verdict],
          },
        ];
  });
}

function datasetSizes(dataset: Dataset) {
  const count = (split: string) =>
    Object.fromEntries(
      dataset.labels.map((label) => [
        label,
        dataset.images.filter((image) => image.split === split && image.label === label).length,
      ]),
    );
  return {
    total: dataset.images.length,
    train: count('train'),
    validation: count('validation'),
    test: count('test'),
  };
}

function finite(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Math.max(0, value);
}
