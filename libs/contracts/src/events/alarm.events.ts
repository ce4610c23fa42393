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
