import { z } from 'zod';
import { labelName, userName, uuid } from '../primitives';
import { envelope } from './envelope';

/** A batch of expert labels was recorded (labeler-api). */
export const labelAddedEvent = envelope.extend({
  batchId: uuid,
  user: userName,
  /** A null label: the image has no label again (an undo of its first label). */
  items: z.array(z.object({ imageId: uuid, label: labelName.nullable() })).min(1),
});
export type LabelAddedEvent = z.infer<typeof labelAddedEvent>;
