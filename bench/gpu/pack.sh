#!/usr/bin/env bash
# Packs the webgpu check (bench/src/gpu-check.ts) for a GPU machine that has neither Node.js nor a
# network, into .gpu-check/ (under 64 MiB): the check bundled by esbuild, this machine's node and
# Dawn's binding (xz), tfjs's wasm files (the fallback backend), Debian's Vulkan/GL loader packages.
# Then, with the device tool: carry [".gpu-check"], command "bash .gpu-check/run.sh".
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu-check
rm -rf "$out"
mkdir -p "$out/debs" "$out/node_modules/webgpu/dist/linux-x64" "$out/node_modules/onnxruntime-node" \
  "$out/node_modules/@tensorflow/tfjs-backend-wasm/dist"
npx nx run @hydra/ml:build
absent=bench/gpu/absent.js
npx esbuild bench/src/gpu-check.ts --bundle --platform=node --target=node20 --log-level=error \
  --outfile="$out/check.js" --external:webgpu --external:onnxruntime-node \
  --alias:sharp=./$absent --alias:@hydra/storage=./$absent --alias:@hydra/simulator=./$absent
# Found by require.resolve at run time: Dawn's binding, ONNX Runtime's package (never loaded), the wasm files.
cp node_modules/webgpu/package.json "$out/node_modules/webgpu/"
xz -T0 -c node_modules/webgpu/dist/linux-x64/dawn.node >"$out/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
echo '{ "name": "onnxruntime-node", "main": "absent.js" }' >"$out/node_modules/onnxruntime-node/package.json"
cp "$absent" "$out/node_modules/onnxruntime-node/absent.js"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/node_modules/@tensorflow/tfjs-backend-wasm/dist/"
xz -T0 -c "$(command -v node)" >"$out/node.xz"
(cd "$out/debs" && apt-get download -q libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 libgles2 >/dev/null)
cp bench/gpu/run.sh "$out/"
du -sh "$out"
