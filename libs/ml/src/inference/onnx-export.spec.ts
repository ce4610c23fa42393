import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { hydraCnn } from '../models/hydra-cnn';
import { inceptionV3 } from '../models/inception-v3';
import { mobileNetV2 } from '../models/mobilenet-v2';
import { exportToOnnx } from './onnx-export';
import { OnnxClassifier } from './onnx-classifier';
import { type InputShape, modelChannels } from '../preprocessing/image-input';

const INPUT: InputShape = { height: 48, width: 64, channels: 3 };
const WITH_RESIDUAL: InputShape = { ...INPUT, medianResidual: { window: 5, gain: 10 } };
const SQUARE: InputShape = { height: 64, width: 64, channels: 3 };
const SMALLEST_INCEPTION: InputShape = { height: 75, width: 75, channels: 3 };

/** Moves the batch-norm statistics away from 0/1 so the export of every weight matters. */
function randomiseBatchNorm(model: tf.LayersModel): void {
  for (const layer of model.layers.filter((candidate) => candidate.getClassName() === 'BatchNormalization')) {
    layer.setWeights(
      layer.weights.map((weight) =>
        weight.name.includes('variance')
          ? tf.randomUniform(weight.shape as number[], 0.5, 2)
          : tf.randomUniform(weight.shape as number[], -0.5, 0.5),
      ),
    );
  }
}

describe('ONNX export', () => {
  beforeAll(() => initialiseBackend('wasm'));

  const architectures: [string, () => tf.LayersModel, InputShape][] = [
    ['hydra-cnn', () => hydraCnn({ input: INPUT, classes: 3, seed: 3 }), INPUT],
    [
      'hydra-cnn with the median residual',
      () => hydraCnn({ input: WITH_RESIDUAL, classes: 3, seed: 3 }),
      WITH_RESIDUAL,
    ],
    ['mobilenet-v2 α0.35', () => mobileNetV2({ input: SQUARE, classes: 3, alpha: 0.35, seed: 3 }), SQUARE],
    [
      'inception-v3',
      () => inceptionV3({ input: SMALLEST_INCEPTION, classes: 3, seed: 3 }),
      SMALLEST_INCEPTION,
    ],
  ];

  it.each(architectures)(
    'gives %s the same outputs on ONNX Runtime as on tfjs (max abs difference < 1e-4)',
    async (_name, build, shape) => {
      const model = build();
      randomiseBatchNorm(model);
      const size = shape.height * shape.width * modelChannels(shape);
      const inputs = Array.from(
        { length: 5 },
        (_, index) => tf.randomUniform([size], 0, 1, 'float32', index).dataSync() as Float32Array,
      );
      const batch = tf.tensor4d(Float32Array.from(inputs.flatMap((input) => Array.from(input))), [
        5,
        shape.height,
        shape.width,
        modelChannels(shape),
      ]);
      const expected = tf.tidy(() => (model.predict(batch) as tf.Tensor).arraySync() as number[][]);
      const classifier = await OnnxClassifier.load(await exportToOnnx(model), shape);
      const actual = await classifier.predict(inputs);
      const difference = Math.max(
        ...actual.flatMap((row, rowIndex) =>
          row.map((value, column) => Math.abs(value - (expected[rowIndex]?.[column] as number))),
        ),
      );
      expect(difference).toBeLessThan(1e-4);
      expect(actual[0]?.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
      await classifier.dispose();
      batch.dispose();
      model.dispose();
    },
    60_000,
  );

  it('names a layer it cannot export', async () => {
    const inputs = tf.input({ shape: [8, 8, 3] });
    const outputs = tf.layers
      .conv2dTranspose({ filters: 2, kernelSize: 3, name: 'upsample' })
      .apply(inputs) as tf.SymbolicTensor;
    await expect(exportToOnnx(tf.model({ inputs, outputs }))).rejects.toThrow(
      'cannot export layer "upsample" of type Conv2DTranspose to ONNX',
    );
  });
});
