# syntax=docker/dockerfile:1

# ---- build: compile TypeScript and bundle the browser assets (needs dev dependencies)
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/mongo-emulator/package.json ./packages/mongo-emulator/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.browser.json ./
COPY scripts ./scripts
COPY packages ./packages
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and compiled output only, as a non-root user
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    NODE_OPTIONS=--conditions=parley-dist
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/mongo-emulator/package.json ./packages/mongo-emulator/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/packages/mongo-emulator/dist ./packages/mongo-emulator/dist
COPY --from=build /app/dist ./dist
COPY --from=build /app/public ./public
# The official image ships an unprivileged `node` user (uid 1000).
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node runs as PID 1 and handles SIGTERM itself: graceful shutdown, exit 0.
CMD ["node", "dist/src/main.js"]
