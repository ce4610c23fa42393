/** Every JetStream subject Hydra publishes on (stream `HYDRA`). */
export const Subjects = {
  imageNew: 'image.new',
  imageClassified: 'image.classified',
  imageExplained: 'image.explained',
  explainRequest: 'explain.request',
  labelAdded: 'label.added',
  trainingRequested: 'training.requested',
  trainingProgress: 'training.progress',
  modelTrained: 'model.trained',
  modelPromoted: 'model.promoted',
  runCondition: 'run.condition',
} as const;

export type FixedSubject = (typeof Subjects)[keyof typeof Subjects];

/** Alarm transitions go to `alarm.<event>.<plotType>`, so `alarm.>` serves any subscriber. */
export type AlarmSubject = `alarm.${string}.${string}`;
export type StatusSubject = `status.${string}`;
/** A plot type that has a production model but cannot be judged: `monitoring.lost|restored.<plotType>`. */
export type MonitoringSubject = `monitoring.${string}.${string}`;
export type Subject = FixedSubject | AlarmSubject | StatusSubject | MonitoringSubject | `dlq.${string}`;

export const ALARM_SUBJECT_PREFIX = 'alarm.';
export const DLQ_SUBJECT_PREFIX = 'dlq.';
export const STATUS_SUBJECT_PREFIX = 'status.';
export const MONITORING_SUBJECT_PREFIX = 'monitoring.';

/** The subject of an alarm transition. */
export function alarmSubject(event: string, plotType: string): AlarmSubject {
  return `alarm.${event}.${plotType}`;
}

/** The continuous status value of a plot type goes to `status.<plotType>`. */
export function statusSubject(plotType: string): StatusSubject {
  return `status.${plotType}`;
}

/** The subject of a plot type's monitoring being lost (its model cannot judge) or restored. */
export function monitoringSubject(event: 'lost' | 'restored', plotType: string): MonitoringSubject {
  return `monitoring.${event}.${plotType}`;
}

/** Where a message that could not be handled ends up, with the reason. */
export function deadLetterSubject(subject: string): string {
  return `${DLQ_SUBJECT_PREFIX}${subject}`;
}

/** The subjects the `HYDRA` stream captures (wildcards), derived from the subjects above. */
export function streamSubjects(): string[] {
  const roots = new Set(Object.values(Subjects).map((subject) => subject.split('.')[0]));
  roots.add('alarm');
  roots.add('status');
  roots.add('monitoring');
  roots.add('dlq');
  return [...roots].map((root) => `${root}.>`);
}
