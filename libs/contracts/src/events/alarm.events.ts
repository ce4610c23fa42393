import { z } from 'zod';
import { isoDateTime, labelName, plotTypeName, probability, userName, uuid } from '../primitives';
import { envelope } from './envelope';

/** Alarm states after ISA-18.2: active or returned, each acknowledged or not, plus the out-of-service states. */
export const alarmState = z.enum([
  'normal',
  'active-unacknowledged',
  'active-acknowledged',
  'returned-unacknowledged',
  'shelved',
  'suppressed',
  'disabled',
]);
export type AlarmState = z.infer<typeof alarmState>;

/** Severities as EPICS names them. */
export const alarmSeverity = z.enum(['minor', 'major']);
export type AlarmSeverity = z.infer<typeof alarmSeverity>;

/** What happened; the `<event>` token of `alarm.<event>.<plotType>`. */
export const alarmEventKind = z.enum([
  'raised',
  'acknowledged',
  'returned',
  'cleared',
  'shelved',
  'unshelved',
  'suppressed',
  'unsuppressed',
  'disabled',
  'enabled',
]);
export type AlarmEventKind = z.infer<typeof alarmEventKind>;

/** One alarm transition (classifier; acknowledge/shelve/disable by labeler-api). */
export const alarmEvent = envelope.extend({
  alarmId: uuid,
  event: alarmEventKind,
  plotType: plotTypeName,
  severity: alarmSeverity,
  state: alarmState,
  since: isoDateTime,
  imageId: uuid.nullable(),
  verdict: labelName.nullable(),
  confidence: probability.nullable(),
  by: userName.nullable(),
});
export type AlarmEvent = z.infer<typeof alarmEvent>;

/** `lost`: a plot type with a production model cannot be judged (the model does not load); `restored`: it can again. */
export const monitoringEventKind = z.enum(['lost', 'restored']);
export type MonitoringEventKind = z.infer<typeof monitoringEventKind>;

/**
 * Outside the alarm state machine: the plot type is not being watched at all (classifier, on
 * `monitoring.<event>.<plotType>`); each replica reports what it sees.
 */
export const monitoringEvent = envelope.extend({
  event: monitoringEventKind,
  plotType: plotTypeName,
  /** The production model that cannot be loaded, or the one that loaded again (null: the plot type has none now). */
  modelId: uuid.nullable(),
  /** Why the plot type cannot be judged; null when restored. */
  reason: z.string().min(1).max(2000).nullable(),
});
export type MonitoringEvent = z.infer<typeof monitoringEvent>;
