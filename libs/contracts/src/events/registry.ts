import { z } from 'zod';
import {
  ALARM_SUBJECT_PREFIX,
  DLQ_SUBJECT_PREFIX,
  MONITORING_SUBJECT_PREFIX,
  STATUS_SUBJECT_PREFIX,
  Subjects,
  type FixedSubject,
} from '../subjects';
import { alarmEvent, type AlarmEvent, monitoringEvent, type MonitoringEvent } from './alarm.events';
import { plotStatusEvent, type PlotStatusEvent, runConditionEvent } from './condition.events';
import { deadLetterEvent, type DeadLetterEvent } from './dead-letter.events';
import {
  explainRequestEvent,
  imageClassifiedEvent,
  imageExplainedEvent,
  imageNewEvent,
} from './image.events';
import { labelAddedEvent } from './label.events';
import { modelPromotedEvent, modelTrainedEvent } from './model.events';
import { trainingProgressEvent, trainingRequestedEvent } from './training.events';

const fixedSubjectSchemas = {
  [Subjects.imageNew]: imageNewEvent,
  [Subjects.imageClassified]: imageClassifiedEvent,
  [Subjects.imageExplained]: imageExplainedEvent,
  [Subjects.explainRequest]: explainRequestEvent,
  [Subjects.labelAdded]: labelAddedEvent,
  [Subjects.trainingRequested]: trainingRequestedEvent,
  [Subjects.trainingProgress]: trainingProgressEvent,
  [Subjects.modelTrained]: modelTrainedEvent,
  [Subjects.modelPromoted]: modelPromotedEvent,
  [Subjects.runCondition]: runConditionEvent,
} satisfies Record<FixedSubject, z.ZodType>;

/** The payload type of each subject. */
export type EventPayloads = { [S in FixedSubject]: z.infer<(typeof fixedSubjectSchemas)[S]> } & {
  [S in `alarm.${string}.${string}`]: AlarmEvent;
} & { [S in `status.${string}`]: PlotStatusEvent } & { [S in `dlq.${string}`]: DeadLetterEvent } & {
  [S in `monitoring.${string}.${string}`]: MonitoringEvent;
};

/** The schema that validates a subject's payload, or undefined for a subject Hydra does not know. */
export function schemaForSubject(subject: string): z.ZodType | undefined {
  if (subject.startsWith(ALARM_SUBJECT_PREFIX)) return alarmEvent;
  if (subject.startsWith(STATUS_SUBJECT_PREFIX)) return plotStatusEvent;
  if (subject.startsWith(DLQ_SUBJECT_PREFIX)) return deadLetterEvent;
  if (subject.startsWith(MONITORING_SUBJECT_PREFIX)) return monitoringEvent;
  return (fixedSubjectSchemas as Record<string, z.ZodType>)[subject];
}

export type ParsedEvent<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates a decoded message against its subject's schema; the error names every bad field. */
export function parseEvent<S extends string>(
  subject: S,
  data: unknown,
): ParsedEvent<S extends keyof EventPayloads ? EventPayloads[S] : unknown> {
  const schema = schemaForSubject(subject);
  if (!schema) return { ok: false, error: `no schema for subject "${subject}"` };
  const result = schema.safeParse(data);
  if (!result.success)
    return { ok: false, error: `invalid ${subject} payload: ${z.prettifyError(result.error)}` };
  return { ok: true, value: result.data as S extends keyof EventPayloads ? EventPayloads[S] : unknown };
}
