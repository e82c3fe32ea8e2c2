// --deploy through run(): which files a run writes for each platform, that they carry the values
// the release itself runs by (drain, grace, probe paths, release name, the variables runtime.exs
// insists on), the .gitignore edit, the summary's commands, and re-runs through the conflict flow.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/commit/index.js';
import { UsageError } from '../../src/errors.js';
import type { Options } from '../../src/options.js';
import { run } from '../../src/run.js';
import { memoryIo, optionsOf, scriptedPrompter } from '../helpers/memory-io.js';
import { parseToml, parseYaml, parseYamlDocument, validateCompose, validateFlyConfig, validateKubernetes } from '../helpers/schemas.js';
import { copyProject, snapshotTree } from '../helpers/tree.js';

const hello = () => copyProject('examples/hello');
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const ALL: Options['deploy'] = ['fly', 'kubernetes', 'compose'];

async function deploy(dir: string, more: Partial<Options> = {}) {
  const io = memoryIo(dir);
  await run(optionsOf({ deploy: ALL, ...more }), io);
  return io.text();
}

const statusLines = (text: string) => [...text.matchAll(/^\* (\w+) (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);

describe('--deploy fly,kubernetes,compose on a phx.new-shaped project', () => {
  it('writes each platform’s files after the release’s, with the Dockerfile they build', async () => {
    const dir = hello();
    const lines = statusLines(await deploy(dir));
    for (const file of ['Dockerfile', '.dockerignore', 'fly.toml', 'compose.yaml', '.env.example', 'deploy/kubernetes/kustomization.yaml', 'deploy/kubernetes/deployment.yaml', 'deploy/kubernetes/service.yaml', 'deploy/kubernetes/migrate-job.yaml', 'deploy/kubernetes/secret.example.yaml']) {
      expect(lines, file).toContain(`creating ${file}`);
    }
    // hello depends on dns_cluster, so clustering is on: the headless Service its pods find each other by.
    expect(lines).toContain('creating deploy/kubernetes/headless-service.yaml');
    // Postgres, not SQLite: no volume for the database.
    expect(lines.some((l) => /data-volume-claim/.test(l))).toBe(false);
    expect(lines.indexOf('creating fly.toml')).toBeGreaterThan(lines.indexOf('creating Dockerfile'));
  });

  it('every file carries the run’s drain, grace, probe paths and release, and passes its schema', async () => {
    const dir = hello();
    const io = memoryIo(dir);
    await run(optionsOf({ deploy: ALL, json: true, drain: 40 }), io);
    const doc = io.document() as { production: { drainSeconds: number; graceSeconds: number }; deploy: { name: string } };
    expect(doc.production).toMatchObject({ drainSeconds: 40, graceSeconds: 45 });
    expect(doc.deploy.name).toBe('hello');

    const fly = parseToml(read(dir, 'fly.toml')) as any;
    expect(fly).toMatchObject({ app: 'hello', kill_signal: 'SIGTERM', kill_timeout: 45, deploy: { release_command: '/app/bin/migrate' } });
    expect(fly.http_service.checks[0].path).toBe('/health');

    const deployment = parseYamlDocument(read(dir, 'deploy/kubernetes/deployment.yaml'), 'deployment.yaml', { yaml11: true }) as any;
    expect(validateKubernetes(deployment)).toEqual({ valid: true, errors: [] });
    const pod = deployment.spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(45);
    expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/health/ready');
    const job = parseYamlDocument(read(dir, 'deploy/kubernetes/migrate-job.yaml'), 'migrate-job.yaml', { yaml11: true }) as any;
    expect(job.spec.template.spec.containers[0].command).toEqual(['/app/bin/migrate']);

    const compose = parseYaml(read(dir, 'compose.yaml'), 'compose.yaml')[0] as any;
    expect(validateCompose(compose)).toEqual({ valid: true, errors: [] });
    expect(validateFlyConfig(fly)).toEqual({ valid: true, errors: [] });
    expect(compose.services.app.stop_grace_period).toBe('45s');
    expect(compose.services.db.image).toMatch(/^postgres:/);
    // The health plug those paths point at is the one this run wrote.
    expect(read(dir, 'lib/hello_web/health.ex')).toMatch(/\["health", "ready"\]/);
    // And the drain they wait for is the one this run set on the adapter.
    expect(read(dir, 'config/runtime.exs')).toMatch(/shutdown_timeout: 40_000/);
  });

  it('lists what runtime.exs insists on as secrets, and not what it reads with a default', async () => {
    const dir = hello();
    const runtime = read(dir, 'config/runtime.exs').replace(
      'if config_env() == :prod do\n',
      'if config_env() == :prod do\n  config :hello, :mailer_key, System.fetch_env!("MAILER_API_KEY")\n  config :hello, :feature, System.get_env("FEATURE_X", "off")\n',
    );
    writeFileSync(path.join(dir, 'config/runtime.exs'), runtime);
    await deploy(dir);
    const secret = parseYamlDocument(read(dir, 'deploy/kubernetes/secret.example.yaml'), 'secret.example.yaml', { yaml11: true }) as any;
    expect(Object.keys(secret.stringData)).toEqual(['SECRET_KEY_BASE', 'DATABASE_URL', 'RELEASE_COOKIE', 'MAILER_API_KEY']);
    expect(Object.values(secret.stringData).every((v) => v === '')).toBe(true);
    const envExample = read(dir, '.env.example');
    expect(envExample).toMatch(/^MAILER_API_KEY=$/m);
    expect(envExample).not.toContain('FEATURE_X');
    expect(read(dir, 'fly.toml')).toMatch(/fly secrets set MAILER_API_KEY=/);
  });

  it('adds .env to the project’s .gitignore, keeping what it had; leaves one that ignores it alone', async () => {
    const dir = hello();
    writeFileSync(path.join(dir, '.gitignore'), '/_build/\n/deps/');
    const text = await deploy(dir, { deploy: ['compose'] });
    expect(statusLines(text)).toContain('patching .gitignore');
    expect(read(dir, '.gitignore')).toBe('/_build/\n/deps/\n\n# The environment docker compose reads (compose.yaml): secrets, never committed.\n.env\n');

    const other = hello();
    writeFileSync(path.join(other, '.gitignore'), '/_build/\n.env*\n!.env.example\n');
    const again = await deploy(other, { deploy: ['compose'] });
    expect(again).not.toContain('.gitignore');
    expect(read(other, '.gitignore')).toBe('/_build/\n.env*\n!.env.example\n');
  });

  it('with --no-patch-runtime, leaves .gitignore as it is and says which line to add', async () => {
    const dir = hello();
    writeFileSync(path.join(dir, '.gitignore'), '/_build/\n');
    const text = await deploy(dir, { deploy: ['compose'], patchRuntime: false });
    expect(read(dir, '.gitignore')).toBe('/_build/\n');
    expect(text).toMatch(/- \.gitignore: ignore \.env, where docker compose reads the secrets from\n\n {6}\.env\n/);
  });

  it('prints the commands that deploy with each platform, in the order asked', async () => {
    const dir = hello();
    const text = await deploy(dir, { deploy: ['compose', 'fly', 'kubernetes'] });
    const summary = text.slice(text.indexOf('Your application is ready'));
    const commands = ['docker compose up --build', 'fly apps create hello', 'fly deploy', 'kubectl delete job hello-migrate --ignore-not-found\n    kubectl apply -k deploy/kubernetes'];
    const at = commands.map((c) => summary.indexOf(`    ${c}\n`));
    expect(at.every((i) => i > 0), summary).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(summary).toContain('    fly secrets set SECRET_KEY_BASE=... DATABASE_URL=... RELEASE_COOKIE=...\n');
    expect(summary).toContain('    kubectl create secret generic hello-env --from-literal=SECRET_KEY_BASE=... --from-literal=DATABASE_URL=... --from-literal=RELEASE_COOKIE=...\n');
    expect(summary).toContain('    cp .env.example .env\n');
  });
});

describe('re-running with other choices', () => {
  it('a different --drain: the platform files differ, so the run stops, naming them; --dry-run shows the diffs; --force updates', async () => {
    const dir = hello();
    await deploy(dir);
    const before = snapshotTree(dir, true);
    const error = await run(optionsOf({ deploy: ALL, drain: 40 }), memoryIo(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).paths).toEqual(['fly.toml', 'deploy/kubernetes/deployment.yaml', 'compose.yaml']);
    expect(snapshotTree(dir, true)).toBe(before);

    const dry = await deploy(dir, { drain: 40, dryRun: true });
    expect(dry).toContain('-kill_timeout = 30\n+kill_timeout = 45\n');
    expect(dry).toMatch(/^- {4}stop_grace_period: 30s$/m);
    expect(dry).toMatch(/^\+ {4}stop_grace_period: 45s$/m);
    expect(snapshotTree(dir, true)).toBe(before);

    const forced = await deploy(dir, { drain: 40, force: true });
    expect(statusLines(forced)).toEqual(expect.arrayContaining(['overwriting fly.toml', 'overwriting compose.yaml', 'patching config/runtime.exs']));
    expect(parseToml(read(dir, 'fly.toml'))).toMatchObject({ kill_timeout: 45 });
    // The drain this run wrote the first time is changed in place, comment and all: one setting, not two.
    const runtime = read(dir, 'config/runtime.exs');
    expect(runtime).toContain("  # On shutdown, in-flight requests get 40 s to finish; keep the platform's grace period above it.\n  config :hello, HelloWeb.Endpoint, http: [thousand_island_options: [shutdown_timeout: 40_000]]\n");
    expect(runtime.match(/shutdown_timeout/g)).toHaveLength(1);
    expect(forced).not.toContain('not the 40000 ms asked for');
  });

  it('another target: the files already written are identical, the new ones created', async () => {
    const dir = hello();
    await deploy(dir, { deploy: ['fly'] });
    const lines = statusLines(await deploy(dir, { deploy: ['fly', 'compose'] }));
    expect(lines).toContain('identical fly.toml');
    expect(lines).toContain('creating compose.yaml');
  });
});

describe('refusals, before anything is written', () => {
  it.each([
    [{ name: 'Hello_App' }, /^--name Hello_App: the platform name must start with a lowercase letter/],
    [{ drain: 296 }, /^--drain 296: Fly stops a Machine at most 300 s after SIGTERM, so the drain can be at most 295 s there$/],
  ])('%o', async (more, message) => {
    const dir = hello();
    const before = snapshotTree(dir, true);
    const error = await run(optionsOf({ deploy: ['fly'], ...more }), memoryIo(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect(snapshotTree(dir, true)).toBe(before);
  });
});

describe('asked interactively', () => {
  it('after Docker, which the platforms need, and repeated as --deploy in the command that does it again', async () => {
    const dir = hello();
    const io = memoryIo(dir, { interactive: true });
    const prompter = scriptedPrompter({ confirm: (_m, d) => d || true, checkbox: () => ['compose', 'kubernetes'] });
    await run(optionsOf({ yes: false }), { ...io, prompter });
    const docker = prompter.asked.indexOf('Add a production Dockerfile and .dockerignore?');
    expect(prompter.asked[docker + 1]).toMatch(/^Write deploy files for a platform\?/);
    expect(io.text()).toMatch(/npx create-release --ecto --docker --deploy compose --deploy kubernetes .*--yes\n/);
    expect(read(dir, 'compose.yaml')).toContain('stop_grace_period');
  });

  it('not at all without Docker', async () => {
    const dir = hello();
    const prompter = scriptedPrompter({ confirm: (m, d) => (/Dockerfile/.test(m) ? false : d), checkbox: () => ['fly'] });
    await run(optionsOf({ yes: false }), { ...memoryIo(dir, { interactive: true }), prompter });
    expect(prompter.asked.some((q) => /deploy files/.test(q))).toBe(false);
  });

  it('--deploy answers the Docker question too', async () => {
    const dir = hello();
    const prompter = scriptedPrompter({});
    await run(optionsOf({ yes: false, deploy: ['fly'] }), { ...memoryIo(dir, { interactive: true }), prompter });
    expect(prompter.asked.some((q) => /Dockerfile|deploy files/.test(q))).toBe(false);
    expect(read(dir, 'Dockerfile')).toContain('FROM');
  });
});
