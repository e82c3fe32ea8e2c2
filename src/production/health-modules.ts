// The health plug's module and file for each endpoint namespace: `MyAppWeb.Endpoint` in
// lib/my_app_web/endpoint.ex gets `MyAppWeb.Health` in lib/my_app_web/health.ex.
import path from 'node:path';
import type { HealthModuleData } from '../../generators/production.js';
import type { Target } from '../target.js';
import type { ProductionValues } from './values.js';

// Each check answers within this (a probe's own timeout is 1 s on Kubernetes by default, more
// elsewhere; a check that takes longer counts as failed rather than hanging the probe).
const CHECK_TIMEOUT_MS = 800;

export function healthModuleName(endpoint: string): string {
  const parts = endpoint.split('.');
  return [...parts.slice(0, -1), 'Health'].join('.');
}

export function healthModulesOf(target: Target, health: NonNullable<ProductionValues['health']>, ecto: boolean): HealthModuleData[] {
  const modules = new Map<string, HealthModuleData & { endpoints: string[] }>();
  for (const endpoint of target.endpoints) {
    const module = healthModuleName(endpoint.module);
    const known = modules.get(module);
    if (known) {
      known.endpoints.push(endpoint.module);
      continue;
    }
    modules.set(module, {
      module,
      path: path.posix.join(path.posix.dirname(endpoint.file), 'health.ex'),
      app: target.owner.app,
      ecto,
      timeoutMs: CHECK_TIMEOUT_MS,
      endpointList: '',
      endpoints: [endpoint.module],
      liveness: health.liveness,
      readiness: health.readiness,
      livenessInfo: pathInfo(health.liveness),
      readinessInfo: pathInfo(health.readiness),
    });
  }
  return [...modules.values()].map(({ endpoints, ...data }) => ({ ...data, endpointList: endpoints.join(' and ') }));
}

/** `/health/ready` as Plug's `conn.path_info`: `["health", "ready"]`. */
function pathInfo(p: string): string {
  return `[${p.split('/').filter(Boolean).map((s) => JSON.stringify(s)).join(', ')}]`;
}
