import {
  type ModelArchitecture,
  medianResidualWindows,
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
}

/** Only a new hydra-cnn has a base to start from: a fine-tune starts from its parent. */
export function baseOffered({ architecture, parentModelId, defaults }: StartContext): boolean {
  return !parentModelId && (architecture ?? defaults.architecture ?? 'hydra-cnn') === 'hydra-cnn';
}

/** The select's placeholder: where the run starts when the expert does not choose. */
export function startFromPlaceholder(context: StartContext): string {
  if (context.parentModelId) return "the parent model's weights";
  if (!baseOffered(context)) return 'random weights (only hydra-cnn has a base)';
  return `default ${SHORT_NAMES[context.defaults.startFrom ?? 'base']}`;
}

/** The median-residual select's placeholder: what the server trains with when the expert does not choose. */
export function medianResidualPlaceholder({ architecture, parentModelId, defaults }: StartContext): string {
  if (parentModelId) return "the parent model's";
  const windows = medianResidualWindows(
    architecture ?? defaults.architecture ?? 'hydra-cnn',
    defaults.medianResidual,
    false,
  );
  const name = (window: number) => (window ? `${window} × ${window}` : 'off');
  return windows.length > 1
    ? `default: ${windows.map(name).join(' or ')}, the lower validation loss`
    : `default ${name(windows[0] ?? 0)}`;
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
