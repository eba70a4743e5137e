# Bosun's container image: `bosun serve` as a non-root user, data in a volume, a health check.
#   docker build -t bosun .
#   docker run -p 8080:8080 -v bosun-data:/data -v "$PWD/bosun.yml:/config/bosun.yml:ro" \
#     -e GITHUB_TOKEN -e BOSUN_WEBHOOK_SECRET bosun
# compose.yaml runs it with PostgreSQL. The build stage's commands are scripts/container-build.sh,
# which test/package/container.test.ts runs as well.

FROM node:22-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/container-build.sh scripts/
RUN sh scripts/container-build.sh install
COPY . .
RUN sh scripts/container-build.sh app /app

FROM node:22-slim
ENV NODE_ENV=production \
    BOSUN_HOST=0.0.0.0 \
    BOSUN_PORT=8080 \
    BOSUN_DATA_DIR=/data \
    BOSUN_CONFIG=/config/bosun.yml
WORKDIR /app
COPY --from=build /app /app
# The image's files stay root's; the node user (uid 1000) writes only its data volume.
RUN mkdir -p /data /config && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.BOSUN_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/bosun.js"]
CMD ["serve"]
