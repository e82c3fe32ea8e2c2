// The numbers and names a release runs by in production, computed once per run. The summary, the
// generated files and the deploy targets (fly.toml, Kubernetes, Compose) all read this one object,
// so a probe path, the drain and the grace period above it cannot disagree between two files.

/** The HTTP adapter that drains in-flight requests on shutdown. */
export type HttpAdapter = 'bandit' | 'cowboy';

export interface ProductionValues {
  /** The port the endpoint listens on in the release (phx.new's runtime.exs reads PORT). */
  port: { default: number; env: 'PORT' };
  /** Probe paths, or null when the run wires no health checks. */
  health: { liveness: string; readiness: string } | null;
  /** How long the adapter lets in-flight requests finish once shutdown begins. */
  drainSeconds: number;
  /** What a platform must wait after SIGTERM before it kills: above the drain, with a margin. */
  graceSeconds: number;
  /** The adapter the drain is set on, or null when it could not be read. */
  adapter: HttpAdapter | null;
  /** The fixed distribution port of an epmd-less set-up, else null (epmd and a random port). */
  epmdLessPort: number | null;
  /** Node naming for distribution, or null without clustering. */
  cluster: {
    /** The node's basename: `<release>@<ip>`. */
    basename: string;
    /** The DNS name a Kubernetes headless Service gets, which DNS_CLUSTER_QUERY defaults to there. */
    headlessService: string;
  } | null;
}

export const DEFAULT_DRAIN_SECONDS = 25;
export const DEFAULT_EPMD_LESS_PORT = 6789;
export const HEALTH_PATHS = { liveness: '/health', readiness: '/health/ready' } as const;
// Time for the VM to stop its applications once the adapter has drained.
const GRACE_MARGIN_SECONDS = 5;

export interface ProductionChoices {
  health: boolean;
  drainSeconds: number;
  adapter: HttpAdapter | null;
  cluster: boolean;
  epmdLessPort: number | null;
}

export function productionValuesOf(release: string, choices: ProductionChoices): ProductionValues {
  return {
    port: { default: 4000, env: 'PORT' },
    health: choices.health ? { ...HEALTH_PATHS } : null,
    drainSeconds: choices.drainSeconds,
    graceSeconds: choices.drainSeconds + GRACE_MARGIN_SECONDS,
    adapter: choices.adapter,
    epmdLessPort: choices.epmdLessPort,
    cluster: choices.cluster
      ? { basename: release, headlessService: `${release.replaceAll('_', '-')}-headless` }
      : null,
  };
}
