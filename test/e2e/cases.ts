// The fixture projects of the end-to-end tests and what a user should see in each once
// create-release has run. The fixtures have no Hex dependencies (none can be fetched on the test
// machines), so Ecto is asked for with `--ecto`, and the migration entry point they call is a
// stand-in `Ecto.Migrator` (lib/ecto/migrator.ex) that records its calls in $MIGRATOR_LOG.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

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
];

const fixturesDir = path.resolve(import.meta.dirname, '../fixtures/e2e');

/** A fresh copy of a fixture and a private HOME, both in one scratch directory. */
export interface Workspace {
  dir: string;
  home: string;
  scratch: string;
  remove: () => Promise<void>;
}

export async function copyFixture(fixture: string, parent = os.tmpdir()): Promise<Workspace> {
  const scratch = await mkdtemp(path.join(parent, `create-release-e2e-${fixture}-`));
  const dir = path.join(scratch, fixture);
  // Build output that a developer may have left in the fixture must not leak into the test.
  await cp(path.join(fixturesDir, fixture), dir, {
    recursive: true,
    filter: (source) => !/[\\/](_build|deps)$/.test(source),
  });
  return { dir, home: path.join(scratch, 'home'), scratch, remove: () => rm(scratch, { recursive: true, force: true }) };
}

/** Joins process output for a failure message. */
export function describeOutput(result: { code: number; stdout: string; stderr: string }): string {
  return `exit code ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}
