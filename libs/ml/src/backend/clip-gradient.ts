import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { fillOnHeap, registerKernels } from './kernel-tensors';

const CLIP_GRADIENT = 'HydraClipByValueGrad';

interface ClipAttrs {
  clipValueMin: number;
  clipValueMax: number;
}

/**
 * ReLU6's gradient (tfjs-layers clips by value) in one pass on wasm: dy where min ≤ x ≤ max, else 0.
 * The stock gradient takes four full-size ops (≥, ≤, and, select): a sixth of a MobileNet step.
 */
export function registerWasmClipGradient(): void {
  registerKernels([
    {
      kernelName: CLIP_GRADIENT,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { dy, x } = inputs as Record<'dy' | 'x', tf.TensorInfo>;
        const { clipValueMin: low, clipValueMax: high } = attrs as unknown as ClipAttrs;
        return fillOnHeap(backend as BackendWasm, x.shape, [dy, x], (output, gradient, input) => {
          for (let index = 0; index < output.length; index++) {
            const value = input[index] as number;
            output[index] = value >= low && value <= high ? (gradient[index] as number) : 0;
          }
        });
      },
    },
  ]);
  tf.registerGradient({
    kernelName: tf.ClipByValue,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => tf.engine().runKernel(CLIP_GRADIENT, { dy, x: saved[0] } as never, attrs) as tf.Tensor,
    }),
  });
}
