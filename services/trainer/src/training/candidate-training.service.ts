import { randomUUID } from 'node:crypto';
import { crossValidationFolds, Subjects, type TrainingRequestedEvent } from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import { argMax, loadModelManifest, modelChannels, saveModelTemperature } from '@hydra/ml';
import { OBJECT_STORE, type ObjectStore } from '@hydra/storage';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { foldExamples } from '../dataset/cross-validation-folds';
import { TRAINER_CONFIG, type TrainerConfig } from '../trainer.config';
import { type Dataset, DatasetBuilder, type SplitImage } from '../dataset/dataset-builder';
import type { CandidateProgress, FoldProgress, JobProgress } from '../jobs/job-progress';
import { evaluateCandidate } from './candidate-evaluation';
import { trainingGates } from './gates';
import { ModelRepository } from './model.repository';
import { type ResolvedTrainingOptions, resolveTrainingOptions, trainModelOptions } from './training-options';
import { trainInWorker } from './worker/train-in-worker';
import type { TrainingWork } from './worker/training-work';

/**
 * One job's candidate model: draw and split the labeled images here, train and validate on a
 * training thread (against production on the same test images), check the gates, record the model
 * and announce `model.trained`. Database, store and broker work stays on the service thread.
 */
@Injectable()
export class CandidateTrainingService {
  private readonly logger = new Logger(CandidateTrainingService.name);

  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    private readonly models: ModelRepository,
    private readonly datasets: DatasetBuilder,
    private readonly events: EventPublisher,
  ) {}

  /** Rejects with TrainingCancelledError when `signal` aborts before the model is trained. */
  async train(request: TrainingRequestedEvent, progress: JobProgress, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    await progress.publish('preparing');
    const plotType = await this.models.plotType(request.plotType);
    if (!plotType) throw new Error(`no plot type "${request.plotType}"`);
    const options = resolveTrainingOptions(
      plotType.trainingDefaults,
      request.options,
      await this.models.latestImageSize(plotType.name),
    );
    const gates = trainingGates.parse(plotType.trainingGates);
    const parent = options.parentModelId ? await this.models.model(options.parentModelId) : null;
    if (options.parentModelId && !parent) throw new Error(`no parent model ${options.parentModelId}`);
    // Fine-tuning keeps the parent's input (its median residual too) and output order.
    const inputs = parent
      ? [(await loadModelManifest(this.store, parent.artifactPrefix)).input]
      : options.inputs;
    const dataset = await this.datasets.build(plotType.name, request.jobId, options.seed, parent?.labels);
    const productionRow = plotType.activeModelId ? await this.models.model(plotType.activeModelId) : null;
    const perClass = dataset.labels.map(
      (_, index) => dataset.images.filter((image) => image.labelIndex === index).length,
    );
    const folds = crossValidationFolds(
      { folds: options.crossValidationFolds, fineTune: parent !== null },
      perClass,
    );
    // Said, so nobody takes the few test images' figures for cross-validated ones.
    const notCrossValidated =
      parent && crossValidationFolds({ folds: options.crossValidationFolds, fineTune: false }, perClass) > 0
        ? [
            `not cross-validated although the images are few: the fine-tuned model ${parent.id} may have trained on any of them`,
          ]
        : [];
    const crossValidation = folds > 0 ? foldExamples(dataset.images, folds, options.seed) : [];
    const modelId = randomUUID();
    const artifactPrefix = `models/${plotType.name}/${modelId}/`;
    const work: TrainingWork = {
      start: parent
        ? { kind: 'fine-tune', modelId: parent.id, artifactPrefix: parent.artifactPrefix }
        : {
            kind: 'new',
            spec: {
              architecture: options.architecture,
              classes: dataset.labels.length,
              widthMultiplier: options.widthMultiplier,
              seed: options.seed,
            },
            fromBase: options.startFrom === 'base',
          },
      labels: dataset.labels,
      inputs,
      // The plot type's current regions, for a fine-tune too: the images are prepared with them.
      ignoreRegions: plotType.ignoreRegions,
      train: dataset.train,
      validation: dataset.validation,
      test: dataset.test,
      training: {
        ...trainModelOptions(options, Math.max(0, dataset.labels.indexOf('Bad'))),
        threads: this.config.threads,
      },
      production: productionRow
        ? { modelId: productionRow.id, artifactPrefix: productionRow.artifactPrefix }
        : null,
      artifactPrefix,
      crossValidation,
    };
    // Every event of a run that cross-validates says how many rounds follow the candidate's training,
    // and every event of a run with several candidates which one trains.
    let fold: FoldProgress | undefined = folds > 0 ? { fold: null, folds } : undefined;
    let candidate: CandidateProgress | undefined;
    const outcome = await trainInWorker(
      work,
      this.store,
      {
        phase: (phase) =>
          progress.report(phase, {
            totalEpochs: phase === 'training' ? options.epochs : undefined,
            fold,
            candidate,
          }),
        epoch: (epoch) =>
          progress.report(fold?.fold ? 'cross-validating' : 'training', {
            epoch,
            totalEpochs: options.epochs,
            fold,
            candidate,
          }),
        fold: (current, total) => {
          fold = { fold: current, folds: total };
          progress.report('cross-validating', { totalEpochs: options.epochs, fold, candidate });
        },
        candidate: (current, total, medianResidual, goodReference) => {
          candidate = { candidate: current, candidates: total, medianResidual, goodReference };
          progress.report('training', { totalEpochs: options.epochs, fold, candidate });
        },
        warning: (message) => this.logger.warn(`job ${request.jobId}: ${message}`),
      },
      signal,
    );

    const { labels } = dataset;
    const evaluation = evaluateCandidate(
      {
        labels,
        validation: { truth: dataset.validation.labels, probabilities: outcome.validationProbabilities },
        test: { truth: dataset.test.labels, probabilities: outcome.testProbabilities },
        production: outcome.production,
        crossValidation:
          folds > 0
            ? crossValidation.map((round, index) => ({
                truth: round.test.labels,
                probabilities: outcome.crossValidation[index]?.testProbabilities ?? [],
              }))
            : null,
      },
      gates,
    );
    const { report, production, thresholds, summary, status, reason } = evaluation;
    const { serving, input } = outcome;
    // Serving applies the temperature the thresholds were chosen at.
    const manifest = await saveModelTemperature(
      this.store,
      artifactPrefix,
      outcome.manifest,
      evaluation.temperature,
    );
    await this.models.insert(
      {
        id: modelId,
        plotType: plotType.name,
        architecture: manifest.architecture as ResolvedTrainingOptions['architecture'],
        status,
        rejectionReason: reason,
        parentModelId: options.parentModelId,
        trainingJobId: request.jobId,
        labels,
        inputShape: [input.height, input.width, modelChannels(input)],
        artifactPrefix,
        metrics: {
          summary,
          report,
          crossValidation: evaluation.crossValidation && {
            ...evaluation.crossValidation,
            rounds: outcome.crossValidation.map(({ bestEpoch, stoppedEarly }, index) => ({
              testImages: crossValidation[index]?.test.keys.length,
              bestEpoch,
              stoppedEarly,
            })),
          },
          production,
          thresholds,
          temperature: evaluation.temperature,
          warnings: [...evaluation.warnings, ...notCrossValidated],
          serving: { precision: serving.serving, reason: serving.reason, int8: serving.comparison },
          history: outcome.training.history,
          bestEpoch: outcome.training.bestEpoch,
          microBatch: outcome.training.microBatch,
          threads: outcome.training.threads,
          stoppedEarly: outcome.training.stoppedEarly,
          dataset: datasetSizes(dataset),
          disagreements: [
            ...disagreements(dataset.validationImages, evaluation.calibrated.validation, labels),
            ...disagreements(dataset.testImages, evaluation.calibrated.test, labels),
          ],
          // The inputs trained: a fine-tune's are its parent's, whatever the options resolved.
          options: { ...options, inputs },
          // Where the trainer chose the input: each candidate's best validation loss.
          ...(outcome.tried.length > 0 && { candidates: outcome.tried }),
          base: outcome.base,
          backend: outcome.backend,
          trainingSeconds: (Date.now() - started) / 1000,
        },
        trainedBy: request.requestedBy,
      },
      Object.fromEntries(Object.entries(thresholds).map(([label, { threshold }]) => [label, threshold])),
    );
    await progress.publish('done');
    await this.events.publish(Subjects.modelTrained, {
      modelId,
      plotType: plotType.name,
      jobId: request.jobId,
      status,
      reason,
      metrics: summary,
    });
    this.logger.log(
      `job ${request.jobId}: ${status} model ${modelId} for ${plotType.name} (trained on ${outcome.backend} in a worker thread), test accuracy ${report.accuracy.toFixed(3)}${reason ? ` (${reason})` : ''}, serving ${serving.serving}${serving.reason ? ` (${serving.reason})` : ''}`,
    );
  }
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
