import { dirname, join } from 'node:path';

/** The parts of Dawn's binding and of WebGPU used here. */
interface Dawn {
  create(options: string[]): {
    requestAdapter(options: { powerPreference: 'high-performance' }): Promise<{
      info: { description: string; isFallbackAdapter?: boolean };
    } | null>;
  };
  globals: Record<string, unknown>;
}

/**
 * A WebGPU implementation for Node: Dawn from the `webgpu` package (its binaries are in the
 * tarball), exposed as `navigator.gpu` for tfjs-backend-webgpu. Software adapters (Mesa's lavapipe)
 * are refused unless asked for: they are correct but slower than the wasm backend.
 */
export async function installWebGpu({ allowSoftware }: { allowSoftware: boolean }): Promise<string> {
  // The binding itself, not the package's ES-module wrapper, which CommonJS test runners cannot load.
  const platform = process.platform === 'darwin' ? 'darwin-universal' : `${process.platform}-${process.arch}`;
  const dawn = require(
    join(dirname(require.resolve('webgpu/package.json')), 'dist', platform, 'dawn.node'),
  ) as Dawn;
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter: no GPU with a Vulkan driver on this machine');
  const { description, isFallbackAdapter } = adapter.info;
  if (isFallbackAdapter && !allowSoftware)
    throw new Error(`only a software adapter (${description}); HYDRA_TF_BACKEND=webgpu uses it anyway`);
  Object.assign(globalThis, dawn.globals);
  // Node 20 has no navigator; later versions have one without `gpu`.
  Object.defineProperty(globalThis, 'navigator', {
    value: { ...(globalThis as { navigator?: object }).navigator, gpu },
    configurable: true,
    writable: true,
  });
  return description;
}
