#!/usr/bin/env bash
# Runs on the GPU machine (no Node.js, no network): the Vulkan loader from the carried Debian
# packages, NVIDIA's Vulkan driver, then the check with the carried Node.js.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for package in "$here"/debs/*.deb; do dpkg -x "$package" /; done
ldconfig
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
xz -dc "$here/node.xz" >/tmp/node && chmod +x /tmp/node
xz -dk "$here/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
nvidia-smi -L || true
/tmp/node "$here/check.js"
