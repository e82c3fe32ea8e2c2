// JSON schemas for the two files no package ships a schema for offline, written from each tool's
// reference and kept strict (no unknown key) for the tables we write:
// - fly.toml: https://fly.io/docs/reference/configuration/ (SchemaStore has a fly.toml schema,
//   but npm's @schemastore/fly holds only TypeScript types generated from it);
// - kustomization.yaml: https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/
//   (SchemaStore's kustomization schema is online only).

// Go durations as flyctl parses them (`10s`, `1m30s`); plain numbers are milliseconds.
const duration = { anyOf: [{ type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' }, { type: 'integer', minimum: 0 }] };
const strings = { type: 'array', items: { type: 'string' } };

const httpCheck = {
  type: 'object',
  additionalProperties: false,
  properties: {
    grace_period: duration,
    interval: duration,
    timeout: duration,
    method: { type: 'string', enum: ['GET', 'get', 'HEAD', 'head'] },
    path: { type: 'string', pattern: '^/' },
    protocol: { enum: ['http', 'https'] },
    tls_server_name: { type: 'string' },
    tls_skip_verify: { type: 'boolean' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

export const flyConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['app'],
  properties: {
    app: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    primary_region: { type: 'string' },
    kill_signal: { enum: ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGKILL', 'SIGSTOP'] },
    // "The maximum kill_timeout is 300 seconds"; a bare number is seconds here.
    kill_timeout: { anyOf: [{ type: 'integer', minimum: 1, maximum: 300 }, { type: 'string' }] },
    console_command: { type: 'string' },
    swap_size_mb: { type: 'integer', minimum: 0 },
    build: {
      type: 'object',
      additionalProperties: false,
      properties: {
        builder: { type: 'string' },
        buildpacks: strings,
        image: { type: 'string' },
        dockerfile: { type: 'string' },
        ignorefile: { type: 'string' },
        'build-target': { type: 'string' },
        args: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    deploy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        release_command: { type: 'string', minLength: 1 },
        release_command_timeout: duration,
        strategy: { enum: ['rolling', 'immediate', 'canary', 'bluegreen'] },
        max_unavailable: { type: 'number', exclusiveMinimum: 0 },
        wait_timeout: duration,
      },
    },
    // "Env variable names ... cannot begin with FLY_ ... Env values can only be strings."
    env: {
      type: 'object',
      propertyNames: { pattern: '^(?!FLY_)[A-Za-z_][A-Za-z0-9_]*$' },
      additionalProperties: { type: 'string' },
    },
    http_service: {
      type: 'object',
      additionalProperties: false,
      properties: {
        internal_port: { type: 'integer', minimum: 1, maximum: 65535 },
        force_https: { type: 'boolean' },
        auto_stop_machines: { enum: ['off', 'stop', 'suspend', true, false] },
        auto_start_machines: { type: 'boolean' },
        min_machines_running: { type: 'integer', minimum: 0 },
        processes: strings,
        concurrency: {
          type: 'object',
          additionalProperties: false,
          properties: { type: { enum: ['connections', 'requests'] }, soft_limit: { type: 'integer' }, hard_limit: { type: 'integer' } },
        },
        checks: { type: 'array', items: httpCheck },
      },
    },
    mounts: {
      type: 'object',
      additionalProperties: false,
      required: ['source', 'destination'],
      properties: {
        // "Only alphanumeric characters and underscores are allowed in names."
        source: { type: 'string', pattern: '^[A-Za-z0-9_]+$' },
        destination: { type: 'string', pattern: '^/.+' },
        processes: strings,
        initial_size: { type: ['string', 'integer'] },
        snapshot_retention: { type: 'integer', minimum: 1, maximum: 60 },
      },
    },
    vm: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          size: { type: 'string' },
          memory: { anyOf: [{ type: 'string', pattern: '^[0-9]+(mb|gb|MB|GB)$' }, { type: 'integer', minimum: 1 }] },
          cpus: { enum: [1, 2, 4, 8, 16] },
          cpu_kind: { enum: ['shared', 'performance'] },
          processes: strings,
        },
      },
    },
  },
} as const;

export const kustomizationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind'],
  properties: {
    apiVersion: { const: 'kustomize.config.k8s.io/v1beta1' },
    kind: { const: 'Kustomization' },
    namespace: { type: 'string' },
    // Paths relative to the kustomization's directory.
    resources: { type: 'array', items: { type: 'string', pattern: '^[^/]' }, uniqueItems: true },
    images: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string' }, newName: { type: 'string' }, newTag: { type: 'string' }, digest: { type: 'string' } },
      },
    },
  },
} as const;
