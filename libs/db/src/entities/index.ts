import { AlarmCursor } from './alarm-cursor.entity';
import { Alarm } from './alarm.entity';
import { ApiToken } from './api-token.entity';
import { Classification } from './classification.entity';
import { Explanation } from './explanation.entity';
import { ImageLabel } from './image-label.entity';
import { ImageOutbox } from './image-outbox.entity';
import { Image } from './image.entity';
import { LabelBatch } from './label-batch.entity';
import { Label } from './label.entity';
import { ModelThreshold } from './model-threshold.entity';
import { Model } from './model.entity';
import { PlotTypeLabel } from './plot-type-label.entity';
import { PlotType } from './plot-type.entity';
import { RunCondition } from './run-condition.entity';
import { TrainingJob } from './training-job.entity';
import { TrainingSet } from './training-set.entity';
import { UserPlotPermission } from './user-plot-permission.entity';
import { User } from './user.entity';
import { UserSession } from './user-session.entity';

export * from './alarm-cursor.entity';
export * from './alarm.entity';
export * from './api-token.entity';
export * from './classification.entity';
export * from './explanation.entity';
export * from './image-label.entity';
export * from './image-outbox.entity';
export * from './image.entity';
export * from './label-batch.entity';
export * from './label.entity';
export * from './model-threshold.entity';
export * from './model.entity';
export * from './plot-type-label.entity';
export * from './plot-type.entity';
export * from './run-condition.entity';
export * from './training-job.entity';
export * from './training-set.entity';
export * from './user-plot-permission.entity';
export * from './user.entity';
export * from './user-session.entity';

/** Every table of ARCHITECTURE.md. */
export const entities = [
  PlotType,
  Label,
  PlotTypeLabel,
  Image,
  ImageOutbox,
  Classification,
  LabelBatch,
  ImageLabel,
  User,
  UserPlotPermission,
  UserSession,
  ApiToken,
  Model,
  ModelThreshold,
  TrainingJob,
  TrainingSet,
  Alarm,
  AlarmCursor,
  Explanation,
  RunCondition,
];
