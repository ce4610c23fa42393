import { z } from 'zod';

const positiveInteger = z.number().int().positive();
const gain = z.number().positive().finite();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * What a stored manifest must hold before a model is read with it: a model object is written by
 * the trainer, but a manifest edited or damaged in the store must be refused at load with the field
 * at fault, not give NaN inputs (a Good reference of 0 nearest plots) or a tensor of the wrong
 * shape later. Fields older manifests lack get the defaults they were trained with; fields this
 * does not name are kept as they are.
 */
export const manifestSchema = z.looseObject({
  architecture: z.string().min(1),
  labels: z
    .array(z.string().min(1))
    .min(1)
    .refine((labels) => new Set(labels).size === labels.length, 'the labels must differ'),
  input: z.looseObject({
    height: positiveInteger.max(4096),
    width: positiveInteger.max(4096),
    channels: z.union([z.literal(1), z.literal(3)]),
    medianResidual: z
      .looseObject({
        window: positiveInteger.refine((window) => window % 2 === 1, 'the window must be odd'),
        gain,
      })
      .optional(),
    goodReference: z.looseObject({ nearest: positiveInteger, gain }).optional(),
  }),
  ignoreRegions: z
    .array(
      z.looseObject({
        x: z.number().min(0).max(1),
        y: z.number().min(0).max(1),
        width: z.number().gt(0).max(1),
        height: z.number().gt(0).max(1),
      }),
    )
    .default([]),
  preprocessing: z.looseObject({
    resize: z.literal('letterbox'),
    background: z.literal('#ffffff'),
    scale: z.literal('0..1'),
  }),
  gradCamLayer: z.string().min(1),
  versions: z.looseObject({ tfjs: z.string(), onnxOpset: positiveInteger }),
  serving: z.enum(['float32', 'int8']).default('float32'),
  temperature: z.number().positive().finite().default(1),
  sha256: z.looseObject({
    weights: sha256,
    onnx: sha256,
    onnxInt8: sha256.optional(),
    heatReference: sha256.optional(),
    heatExemplars: sha256.optional(),
  }),
  createdAt: z.iso.datetime(),
});
