import {
  inputCandidateName,
  inputCandidates,
  type ModelArchitecture,
  type TrainingDefaultsDto,
  type TrainingOptions,
} from '@hydra/contracts';
import type { ModelDetail } from './library-model';

// Where a training run's first weights come from: Hydra's base (hydra-cnn only), random weights,
// or the parent model of a fine-tune. The Train dialog asks; the training report tells.

export type StartFrom = NonNullable<TrainingOptions['startFrom']>;

const SHORT_NAMES: Record<StartFrom, string> = { base: "Hydra's base", scratch: 'random weights' };

/** The Train dialog's "Start from" choices. */
export const START_FROM_CHOICES: { label: string; value: StartFrom }[] = [
  { label: "Hydra's base (pretrained on simulated plots)", value: 'base' },
  { label: 'random weights', value: 'scratch' },
];

/** What else the dialog holds that decides whether a run may start from the base. */
export interface StartContext {
  architecture: ModelArchitecture | null;
  parentModelId: string | null;
  defaults: TrainingDefaultsDto;
  /** The dialog's Good reference choice; absent or null: not chosen. */
  goodReference?: boolean | null;
}

/**
 * Only a new hydra-cnn has a base to start from: a fine-tune starts from its parent, and a model
 * asked to have a Good reference from random weights.
 */
export function baseOffered({ architecture, parentModelId, defaults, goodReference }: StartContext): boolean {
  return (
    !parentModelId &&
    (goodReference ?? defaults.goodReference) !== true &&
    (architecture ?? defaults.architecture ?? 'hydra-cnn') === 'hydra-cnn'
  );
}

/** The select's placeholder: where the run starts when the expert does not choose. */
export function startFromPlaceholder(context: StartContext): string {
  if (context.parentModelId) return "the parent model's weights";
  if (
    (context.goodReference ?? context.defaults.goodReference) === true &&
    baseOffered({ ...context, goodReference: false })
  )
    return 'random weights (the base never saw a Good reference)';
  if (!baseOffered(context)) return 'random weights (only hydra-cnn has a base)';
  const start = context.defaults.startFrom ?? 'base';
  return start === 'base'
    ? `default ${SHORT_NAMES.base} (random weights with a Good reference)`
    : `default ${SHORT_NAMES[start]}`;
}

/**
 * The placeholder of the input selects (median residual, Good reference): what the server trains
 * with when the expert chooses neither.
 */
export function inputPlaceholder({ architecture, parentModelId, defaults }: StartContext): string {
  if (parentModelId) return "the parent model's";
  const candidates = inputCandidates(
    architecture ?? defaults.architecture ?? 'hydra-cnn',
    { medianResidual: defaults.medianResidual, goodReference: defaults.goodReference },
    false,
  );
  return candidates.length > 1
    ? `default: ${candidates.map(inputCandidateName).join(' or ')}, the lower validation loss`
    : `default ${candidates.map(inputCandidateName).join('')}`;
}

/** `startFrom` for the request: the expert's choice where it applies (the server refuses the base elsewhere). */
export function startFromOption(chosen: StartFrom | null, context: StartContext): StartFrom | undefined {
  return chosen && baseOffered(context) ? chosen : undefined;
}

/** What a model started from, for its training report: its parent, Hydra's base, or random weights. */
export function startedFrom(model: Pick<ModelDetail, 'parentModelId' | 'metrics'>): string {
  const parent = model.metrics.options?.parentModelId ?? model.parentModelId;
  if (parent) return `model ${parent.slice(0, 8)}`;
  const base = model.metrics.base;
  if (base)
    return `Hydra's base ${base.sha256.slice(0, 12)} (it told Good from Bad on ${base.validationAccuracyPct.all.toFixed(1)} % of its validation plots)`;
  // Models trained before the base record neither `base` nor `startFrom`: they all started from random weights.
  return 'random weights';
}
