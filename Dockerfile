# The llm-monitor image: the CLI with its production dependencies on a small
# official Node.js base, running as a non-root user. The default command is
# the operator; any other command works too, such as `check -f FOLDER`.
#
#   docker build -t llm-monitor:0.1.0 .
#
# test/integration/package.test.ts repeats the runtime stage without Docker:
# it packs, installs the package with production dependencies only, and runs
# the CLI from there.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src/ src/
COPY deploy/crds/ deploy/crds/
COPY examples/ examples/
COPY README.md ./
# npm pack takes what package.json "files" lists, so the image has exactly
# what the npm package has.
RUN npm run build \
 && npm pack --pack-destination /tmp \
 && mkdir /package \
 && tar -xzf /tmp/llm-monitor-*.tgz -C /package --strip-components=1

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /package/ ./
COPY package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
# The numeric id of the base image's "node" user, so that Kubernetes can
# check runAsNonRoot without a passwd lookup.
USER 1000:1000
EXPOSE 9464
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["operator"]
