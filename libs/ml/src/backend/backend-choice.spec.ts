import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from './tensorflow-backend';
import { installWebGpu } from './webgpu-device';

describe('choosing the TensorFlow.js backend', () => {
  it('refuses an unknown HYDRA_TF_BACKEND by name', async () => {
    await expect(initialiseBackend('cuda')).rejects.toThrow(
      'HYDRA_TF_BACKEND must be one of tensorflow, webgpu, wasm, cpu, got "cuda"',
    );
  });

  it('takes webgpu only on a hardware adapter, else wasm (no libtensorflow here)', async () => {
    const hardware = await installWebGpu({ allowSoftware: false }).then(
      () => true,
      (error: Error) => {
        expect(error.message).toMatch(/no WebGPU adapter|only a software adapter/);
        return false;
      },
    );
    const backend = await initialiseBackend(undefined);
    expect(backend).toBe(hardware ? 'webgpu' : 'wasm');
    expect(tf.getBackend()).toBe(backend);
  }, 60_000);
});
