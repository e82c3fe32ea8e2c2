// The fixture projects of the end-to-end tests and what a user should see in each once
// create-release has run. The fixtures have no Hex dependencies (none can be fetched on the test
// machines), so Ecto is asked for with `--ecto`, and the migration entry point they call is a
// stand-in `Ecto.Migrator` (lib/ecto/migrator.ex) that records its calls in $MIGRATOR_LOG.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fse from 'fs-extra';

export interface E2eCase {
  /** Folder under test/fixtures/e2e. */
  fixture: string;
  /** What the test passes to create-release (run inside the project). */
  cliArgs: string[];
  /** The release `mix release` assembles, under _build/prod/rel/. */
  release: string;
  /** What the fixture's endpoint answers. */
  body: string;
  /** What Ecto set-up is expected, or null when there must be no bin/migrate. */
  ecto: {
    /** The generated release module and where it goes. */
    module: string;
    file: string;
    /** The stand-in migrator's log after `bin/migrate`. */
    log: string[];
  } | null;
  /** Whether Windows scripts (.bat) belong in the release. */
  windows: boolean;
  /** Where the overlay scripts go (`<rel_templates_path>/overlays`); `rel/overlays` by default. */
  overlaysDir?: string;
}

export const e2eCases: E2eCase[] = [
  {
    // A single Phoenix-shaped app with two repos.
    fixture: 'phx_like',
    cliArgs: ['--yes', '--offline', '--ecto'],
    release: 'phx_like',
    body: 'phx_like ok',
    ecto: {
      module: 'PhxLike.Release',
      file: 'lib/phx_like/release.ex',
      log: [
        'with_repo PhxLike.Repo',
        'run PhxLike.Repo :up [all: true]',
        'with_repo PhxLike.OtherRepo',
        'run PhxLike.OtherRepo :up [all: true]',
      ],
    },
    windows: true,
  },
  {
    // `releases: [svc: [include_executables_for: [:unix]]]`: the release is not named after the
    // app, and it is Unix-only. No Ecto.
    fixture: 'named_release',
    cliArgs: ['--yes', '--offline'],
    release: 'svc',
    body: 'named_app ok',
    ecto: null,
    windows: false,
  },
  {
    // An umbrella: data_app owns :ecto_repos, web_app serves HTTP, release `umbrella` runs both.
    fixture: 'umbrella',
    cliArgs: ['--yes', '--offline', '--ecto'],
    release: 'umbrella',
    body: 'web_app ok',
    ecto: {
      module: 'DataApp.Release',
      file: 'apps/data_app/lib/data_app/release.ex',
      log: ['with_repo DataApp.Repo', 'run DataApp.Repo :up [all: true]'],
    },
    windows: true,
  },
  {
    // App :fleetmate with modules FleetMate.*, its endpoint FleetMateNG.Endpoint in lib/web/, and
    // its own FleetMate.Release in lib/release.ex: Ecto found from ecto_repos alone (no --ecto).
    fixture: 'fleet_ng',
    cliArgs: ['--yes', '--offline'],
    release: 'fleetmate',
    body: 'fleetmate ok',
    ecto: {
      module: 'FleetMate.Release',
      file: 'lib/release.ex',
      log: ['FleetMate.Release.migrate', 'with_repo FleetMate.Repo', 'run FleetMate.Repo :up [all: true]'],
    },
    windows: true,
  },
  {
    // releases: [rtp: [rel_templates_path: "rel/server"]]: the scripts go to rel/server/overlays.
    fixture: 'rtp',
    cliArgs: ['--yes', '--offline'],
    release: 'rtp',
    body: 'radar ok',
    ecto: null,
    windows: false,
    overlaysDir: 'rel/server/overlays',
  },
  {
    // Two releases and default_release: :web, which plain `mix release` builds.
    fixture: 'default_rel',
    cliArgs: ['--yes', '--offline'],
    release: 'web',
    body: 'relay ok',
    ecto: null,
    windows: false,
  },
];

const fixturesDir = path.resolve(import.meta.dirname, '../fixtures/e2e');

/** A fresh copy of a fixture and a private HOME, both in one scratch directory. */
export interface Workspace {
  dir: string;
  home: string;
  scratch: string;
  remove: () => Promise<void>;
}

/**
 * A fresh copy of `fixture` (a folder of `from`, the end-to-end fixtures by default) in a new
 * scratch directory under `parent` (the system's temp directory by default; a chroot's own /tmp
 * when a toolchain runs inside one).
 */
export async function copyFixture(fixture: string, where: { from?: string; parent?: string } = {}): Promise<Workspace> {
  const scratch = await mkdtemp(path.join(where.parent ?? os.tmpdir(), `create-release-e2e-${fixture}-`));
  const dir = path.join(scratch, fixture);
  // Build output that a developer may have left in the fixture must not leak into the test.
  await fse.copy(path.join(where.from ?? fixturesDir, fixture), dir, {
    filter: (source) => !/[\\/](_build|deps)$/.test(source),
  });
  return { dir, home: path.join(scratch, 'home'), scratch, remove: () => rm(scratch, { recursive: true, force: true }) };
}

/** Joins process output for a failure message. */
export function describeOutput(result: { code: number; stdout: string; stderr: string }): string {
  return `exit code ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}
