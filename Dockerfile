# syntax=docker/dockerfile:1
# Build stage: compile the workspaces and the dashboard (tsc, then vite build into apps/api/dist/web);
# better-sqlite3 builds its native addon here. Dev dependencies (vite, playwright-core: no browser is
# downloaded) stay in this stage: `npm prune --omit=dev` drops them from what is copied on.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json biome.json ./
COPY packages/db/package.json packages/db/
COPY packages/jobs/package.json packages/jobs/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/cli/package.json apps/cli/
RUN npm ci --no-audit --no-fund
COPY packages packages
COPY apps apps
RUN npx turbo run build && npm prune --omit=dev

# Runtime stage: only what runs, as an unprivileged user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production DATA_DIR=/data HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/packages packages
COPY --from=build --chown=node:node /app/apps apps
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# 3000: the API, dashboard and /metrics; 9464: a worker's /metrics and /ready (WORKER_METRICS_PORT).
EXPOSE 3000 9464
# The API's readiness (Redis, database, migrations); compose gives the worker a check of its own.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "apps/api/dist/server.js"]
