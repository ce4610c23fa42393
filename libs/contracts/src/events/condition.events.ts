import { z } from 'zod';
import { beamCurrent, labelName, plotTypeName, userName, uuid } from '../primitives';
import { envelope } from './envelope';

/** The run condition the DAQ reports; alarms are suppressed while the beam is off (Hydra's beam-current gate). */
export const runConditionEvent = envelope.extend({
  beamOn: z.boolean(),
  /** For the record. */
  beamCurrent,
  by: userName,
});
export type RunConditionEvent = z.infer<typeof runConditionEvent>;

/** The continuous status of a plot type, P(Good) − P(Bad), as Hydra publishes it for EPICS. */
export const plotStatusEvent = envelope.extend({
  plotType: plotTypeName,
  value: z.number().min(-1).max(1),
  imageId: uuid,
  verdict: labelName,
});
export type PlotStatusEvent = z.infer<typeof plotStatusEvent>;
