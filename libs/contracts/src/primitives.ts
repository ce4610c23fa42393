import { z } from 'zod';

/** A plot type name: also a NATS subject token and an object-store path segment, hence the narrow set. */
export const plotTypeName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'plot type names are 1–64 letters, digits, "_" or "-", starting with a letter or digit',
  );

/** A class label such as Good, Bad or NoData. */
export const labelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_ -]{0,31}$/, 'label names are 1–32 letters, digits, spaces, "_" or "-"');

export const uuid = z.uuid();
export const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits');
export const isoDateTime = z.iso.datetime({ offset: true });
export const probability = z.number().min(0).max(1);
export const userName = z.string().min(1).max(64);
/** A beam current in the experiment's unit (nA at Jefferson Lab); bounded so it fits the `real` column. */
export const beamCurrent = z.number().nonnegative().max(1e9).nullable().default(null);

/** The model architectures of the zoo (libs/ml). */
export const modelArchitecture = z.enum(['hydra-cnn', 'mobilenet-v2', 'inception-v3']);
export type ModelArchitecture = z.infer<typeof modelArchitecture>;
