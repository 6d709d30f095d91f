# Vigil server image. CPU inference by default; the `gpu` target adds CUDA for tfjs-node-gpu.
# Build: docker build -t vigil .        GPU: docker build --target gpu -t vigil:gpu .
# Both run as the unprivileged user 10001 (numeric, so `runAsNonRoot` can check it). The code is
# owned by root and read-only to that user; only /data (database when embedded, media) is its own.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS cpu
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg tini && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 vigil \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin vigil \
 && mkdir -p /data && chown 10001:10001 /data && chmod 0700 /data
WORKDIR /app
ENV NODE_ENV=production VIGIL_DATA_DIR=/data PORT=3000 HOME=/tmp
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
VOLUME /data
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["tini", "--"]
CMD ["node", "dist/apps/server/src/main.js"]

# tfjs-node-gpu 4.22 links TensorFlow 2.9 built for CUDA 11.2 / cuDNN 8.1.
FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 AS gpu
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl ffmpeg tini \
 && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 vigil \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin vigil \
 && mkdir -p /data && chown 10001:10001 /data && chmod 0700 /data
WORKDIR /app
ENV NODE_ENV=production VIGIL_DATA_DIR=/data PORT=3000 HOME=/tmp VIGIL_TF_BACKEND=tensorflow-gpu
COPY package.json package-lock.json ./
# Node 20 brings npm 10, which runs tfjs-node-gpu's install script (libtensorflow for CUDA) during
# `npm ci`; npm 11 runs it only once approved (`npm install-scripts` does not exist in npm 10).
RUN npm ci --omit=dev --no-audit --no-fund \
 && if [ "$(npm --version | cut -d. -f1)" -ge 11 ]; then \
      npm install-scripts approve @tensorflow/tfjs-node-gpu && npm rebuild @tensorflow/tfjs-node-gpu; \
    fi
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
VOLUME /data
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["tini", "--"]
CMD ["node", "dist/apps/server/src/main.js"]
