import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerBatchNormGradient } from './batch-norm-gradient';
import { registerBatchNormTraining } from './batch-norm-training';
import { registerWasmClipGradient } from './clip-gradient';
import { registerWasmGradientKernels } from './wasm-gradient-kernels';
import { installWebGpu } from './webgpu-device';
import { registerWebGpuGradientKernels } from './webgpu-gradient-kernels';

export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

let chosen: Promise<BackendName> | undefined;

/**
 * Picks the TensorFlow.js backend once per process — a tensor made on one backend and used on
 * another is silently misread — in order: libtensorflow (tfjs-node, only where it is installed),
 * webgpu on a hardware GPU, wasm with Hydra's gradient kernels, plain cpu. `HYDRA_TF_BACKEND`
 * forces one (webgpu then accepts a software adapter too).
 */
export function initialiseBackend(forced = process.env.HYDRA_TF_BACKEND): Promise<BackendName> {
  chosen ??= choose(forced).catch((error: unknown) => {
    chosen = undefined; // nothing started: a later call may try again
    throw error;
  });
  return chosen;
}

async function choose(forced: string | undefined): Promise<BackendName> {
  if (forced !== undefined && !(BACKEND_NAMES as readonly string[]).includes(forced)) {
    throw new Error(`HYDRA_TF_BACKEND must be one of ${BACKEND_NAMES.join(', ')}, got "${forced}"`);
  }
  const candidates = forced ? [forced as BackendName] : BACKEND_NAMES;
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      await activate(candidate, forced !== undefined);
      return candidate;
    } catch (error) {
      failures.push(`${candidate}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start:\n  ${failures.join('\n  ')}`);
}

async function activate(name: BackendName, forced: boolean): Promise<void> {
  if (name === 'tensorflow') {
    // Optional: a GPU node built with internet access may have libtensorflow; the default path does not.
    for (const binding of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        require(binding);
        break;
      } catch {
        continue;
      }
    }
  }
  if (name === 'webgpu') {
    await installWebGpu({ allowSoftware: forced });
    require('@tensorflow/tfjs-backend-webgpu'); // registers the backend; loaded only when chosen
    registerWebGpuGradientKernels();
  }
  if (name === 'wasm') {
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
    registerWasmGradientKernels();
    registerBatchNormTraining();
    registerWasmClipGradient();
  }
  registerBatchNormGradient();
  if (!(await tf.setBackend(name))) throw new Error(`backend "${name}" is not available`);
  await tf.ready();
}
