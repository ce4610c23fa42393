# syntax=docker/dockerfile:1.7
#
# One image per Hydra service, all from this file:
#
#   docker build --build-arg SERVICE=classifier -t registry.example.org/hydra/classifier:0.1.0 .
#   docker build --build-arg SERVICE=classifier --build-arg VARIANT=gpu \
#                -t registry.example.org/hydra/classifier:0.1.0-gpu .
#
# SERVICE: ingest | classifier | explainer | trainer | labeler-api (labeler-api's image also
# carries the `hydra` cli, which the chart's migration Job runs).
# VARIANT: cpu (default) | gpu. The gpu variant must be built on a machine that reaches
# api.nuget.org (ONNX Runtime's CUDA provider), storage.googleapis.com (libtensorflow for
# @tensorflow/tfjs-node-gpu) and developer.download.nvidia.com (CUDA and cuDNN libraries).
# deploy/k8s/README.md has the details.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- 1. The package manifests (and .npmrc) alone, so `npm ci` layers stay cached until a dependency changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json .npmrc /manifests/ \
 && find . -mindepth 2 -maxdepth 3 -name package.json -not -path './node_modules/*' -not -path '*/node_modules/*' \
      -exec cp --parents {} /manifests/ \;

# --- 2. Build the whole workspace (the CPU build: ONNX Runtime's CUDA download is skipped).
FROM ${NODE_IMAGE} AS build
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    NX_DAEMON=false \
    NX_NO_CLOUD=true \
    CI=true
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build
# Only what runs: each package's package.json and dist (the web app's static files included), and
# the base model hydra-cnn starts from (libs/ml/base).
RUN mkdir -p /out/web \
 && for package in libs/* services/* cli web; do \
      if [ -d "$package/dist" ]; then \
        mkdir -p "/out/$package" && cp -r "$package/dist" "/out/$package/"; \
      fi; \
    done \
 && cp -r libs/ml/base /out/libs/ml/

# --- 3. One service: its workspace closure's production dependencies, non-root, read-only friendly.
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG VARIANT=cpu
# CUDA 12 + cuDNN 9 for ONNX Runtime's CUDA provider; CUDA 11.8 + cuDNN 8 for libtensorflow 2.9
# under @tensorflow/tfjs-node-gpu. Both sets of libraries have distinct sonames and live side by side.
ARG CUDA12_VERSION=12.6
ARG CUDA11_VERSION=11.8
ARG CUDNN8_VERSION=8.9.7.29-1+cuda11.8
ARG TFJS_NODE_GPU_VERSION=4.22.0

RUN test -n "$SERVICE" || { echo "--build-arg SERVICE=<ingest|classifier|explainer|trainer|labeler-api> is required" >&2; exit 1; } \
 && case "$VARIANT" in cpu|gpu) ;; *) echo "VARIANT must be cpu or gpu" >&2; exit 1 ;; esac

# GPU variant: the CUDA runtime libraries from NVIDIA's Debian repositories (the driver itself
# comes from the node, through the NVIDIA container runtime).
RUN if [ "$VARIANT" = gpu ]; then \
      cuda12="$(echo "$CUDA12_VERSION" | tr . -)"; cuda11="$(echo "$CUDA11_VERSION" | tr . -)"; \
      apt-get update \
      && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
      && curl -fsSL https://developer.download.nvidia.com/compute/cuda/repos/debian12/x86_64/3bf863cc.pub \
         | gpg --dearmor -o /usr/share/keyrings/cuda-archive-keyring.gpg \
      && echo "deb [signed-by=/usr/share/keyrings/cuda-archive-keyring.gpg] https://developer.download.nvidia.com/compute/cuda/repos/debian12/x86_64/ /" \
         > /etc/apt/sources.list.d/cuda-debian12.list \
      && echo "deb [signed-by=/usr/share/keyrings/cuda-archive-keyring.gpg] https://developer.download.nvidia.com/compute/cuda/repos/debian11/x86_64/ /" \
         > /etc/apt/sources.list.d/cuda-debian11.list \
      && apt-get update \
      && apt-get install -y --no-install-recommends \
         "cuda-cudart-$cuda12" "libcublas-$cuda12" "libcufft-$cuda12" "libcurand-$cuda12" libcudnn9-cuda-12 \
         "cuda-cudart-$cuda11" "libcublas-$cuda11" "libcufft-$cuda11" "libcurand-$cuda11" \
         "libcusolver-$cuda11" "libcusparse-$cuda11" "libcudnn8=$CUDNN8_VERSION" \
      && apt-get purge -y curl gnupg && apt-get autoremove -y \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV LD_LIBRARY_PATH=/usr/local/cuda-${CUDA12_VERSION}/lib64:/usr/local/cuda-${CUDA11_VERSION}/lib64

WORKDIR /app
COPY --from=manifests /manifests/ ./
# The service's workspace closure only (`-w` limits `npm ci` to it); the cli with labeler-api.
RUN --mount=type=cache,target=/root/.npm \
    set -e; \
    workspaces="-w services/$SERVICE"; \
    if [ "$SERVICE" = labeler-api ]; then workspaces="$workspaces -w cli"; fi; \
    if [ "$VARIANT" = gpu ]; then export ONNXRUNTIME_NODE_INSTALL=cuda12; else export ONNXRUNTIME_NODE_INSTALL=skip; fi; \
    npm ci --omit=dev --no-audit --no-fund $workspaces; \
    if [ "$VARIANT" = gpu ]; then \
      npm install --no-save --omit=dev --no-audit --no-fund -w "services/$SERVICE" \
        "@tensorflow/tfjs-node-gpu@$TFJS_NODE_GPU_VERSION"; \
    fi; \
    rm -rf /root/.npm/_logs

COPY --from=build /out/libs ./libs
COPY --from=build /out/services/${SERVICE} ./services/${SERVICE}
COPY --from=build /out/cli ./cli
COPY --from=build /out/web ./web
RUN test -f "services/$SERVICE/dist/main.js" \
 && if [ "$SERVICE" != labeler-api ]; then rm -rf cli web; fi \
 && ln -s "services/$SERVICE/dist/main.js" /app/main.js

# Read-only root filesystem: the only writable place is /tmp (an emptyDir in Kubernetes).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    HOME=/tmp \
    LOG_FORMAT=json \
    HYDRA_SERVICE=${SERVICE}
RUN groupadd --system --gid 10001 hydra \
 && useradd --system --uid 10001 --gid hydra --home-dir /tmp --no-create-home --shell /usr/sbin/nologin hydra
USER 10001:10001

# The service's own port variable wins; the fallbacks are the services' defaults.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const ports={ingest:3001,classifier:3002,explainer:3003,trainer:3004,'labeler-api':3000};const s=process.env.HYDRA_SERVICE;const v=process.env[s.toUpperCase().replace('-','_')+'_PORT'];fetch('http://127.0.0.1:'+(v||ports[s])+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

EXPOSE 3000 3001 3002 3003 3004
CMD ["node", "main.js"]
