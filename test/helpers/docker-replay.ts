// A build replay: what a Dockerfile's builder stage does, done on this machine without Docker,
// so a test can see that what the Dockerfile copies into the build is what the build needs.
//
// - The build context is the project less what `.dockerignore` excludes (docker-context.ts),
//   copied into the scratch directory as the builder would receive it.
// - The Dockerfile is parsed with dockerfile-ast; ARG defaults (and build args), ENV values and
//   `$VAR` / `${VAR}` in instructions are resolved as Docker does (docker-words.ts).
// - The stage is replayed in order in a scratch directory that stands for the image's
//   filesystem (`/app` is `<rootfs>/app`): WORKDIR, ENV, ARG, COPY (from the context, or from an
//   earlier stage, replayed first) and RUN. A RUN's `&&` chain is split and each command is run
//   or skipped: `mix ...` runs with the host's Elixir in the replayed working directory (its
//   environment from the replayed ENV/ARG, a private HOME and MIX_HOME, HEX_OFFLINE=1), `mkdir`
//   runs; `apt-get`, `mix local.hex`, `mix local.rebar`, `npm` and `rm -rf /var/lib/apt/lists/*`
//   are skipped and logged. Anything else is an error: the replay never pretends.
// - Whatever fails stops the replay with a ReplayError naming the instruction, its line in the
//   Dockerfile and the command's output.
import { DockerfileParser, type Instruction, type Property } from 'dockerfile-ast';
import fse from 'fs-extra';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { copyBuildContext, hasWildcard, matchesSegment } from './docker-context.js';
import { expandDockerWord, shellTokens, WordError, type Vars } from './docker-words.js';
import { makeElixirEnv, runMix, type CommandResult } from './elixir.js';

export interface ReplayOptions {
  /** The build context: the project directory (its `.dockerignore` applies). */
  context: string;
  /** The Dockerfile's text; by default `<context>/Dockerfile` is read. */
  dockerfile?: string;
  /** An empty or missing directory that the replay owns: rootfs, context copy, HOME. */
  scratch: string;
  /** The stage to replay (name or index); by default the one that runs `mix release`. */
  target?: string;
  /** `docker build --build-arg NAME=value`. */
  buildArgs?: Record<string, string>;
  /** Per command run (mix), in ms. */
  timeoutMs?: number;
  /** Called with each step as it finishes (a progress log). */
  onStep?: (step: ReplayStep) => void;
  /**
   * Where the mix steps run: the host's Elixir by default, or a toolchain's (commands inside a
   * chroot then, with the scratch directory inside its root).
   */
  toolchain?: ReplayToolchain;
}

/** What the replay needs of a toolchain: a mix runner and the environment for a private HOME. */
export interface ReplayToolchain {
  runMix(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandResult>;
  envAt(home: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
}

const HOST: ReplayToolchain = { runMix, envAt: (home, extra) => makeElixirEnv(home, extra) };

export interface ReplayStep {
  /** The stage's name (or index when it has none). */
  stage: string;
  /** 1-based line of the instruction in the Dockerfile. */
  line: number;
  /** The instruction as written, continuation lines joined. */
  instruction: string;
  status: 'done' | 'skipped';
  /** What was done, or why it was skipped. */
  detail: string;
  /** The output of the commands it ran. */
  output?: string;
}

export interface ReplayResult {
  /** The replayed stage. */
  stage: string;
  /** The directory standing for the stage's image filesystem (`/`). */
  rootfs: string;
  /** The stage's last WORKDIR, as an image path (`/app`). */
  workdir: string;
  /** Where that WORKDIR is on this machine (`<rootfs>/app`). */
  app: string;
  /** The stage's ENV when it ends. */
  env: Record<string, string>;
  /** Every step of every stage replayed, in order (earlier stages first). */
  steps: ReplayStep[];
  /** The copy of the build context. */
  context: string;
  /** The private HOME (MIX_HOME is `<home>/.mix`) the mix commands ran with. */
  home: string;
  /** An image path of the replayed stage (a relative one is relative to `workdir`), on this machine. */
  hostPath(imagePath: string): string;
  /** The parsed Dockerfile. */
  dockerfile: DockerfilePlan;
}

/** A replay that stopped: the step that failed, and why. */
export class ReplayError extends Error {
  constructor(
    readonly stage: string,
    readonly line: number,
    readonly instruction: string,
    readonly reason: string,
    readonly output: string,
    readonly steps: ReplayStep[],
  ) {
    super(`Dockerfile line ${line} (stage ${stage}): ${instruction}\n  ${reason}${output ? `\n--- output ---\n${output.trimEnd()}` : ''}`);
    this.name = 'ReplayError';
  }
}

// ---------------------------------------------------------------------------------------------
// The Dockerfile

export interface DockerfileStage {
  index: number;
  name: string | null;
  /** The name, or the index as a string. */
  label: string;
  /** The FROM image after ARG substitution (or the name of the stage it builds on). */
  base: string;
  line: number;
  /** The FROM line as written. */
  from: string;
  instructions: Instruction[];
}

export interface DockerfilePlan {
  text: string;
  escape: string;
  /** The ARGs before the first FROM, with their defaults (or build args). */
  globalArgs: Map<string, string | undefined>;
  buildArgs: Record<string, string>;
  stages: DockerfileStage[];
  /** A stage by name or index, as `--from=` and `FROM` refer to it. */
  stage(ref: string): DockerfileStage | undefined;
}

export function parseDockerfile(text: string, buildArgs: Record<string, string> = {}): DockerfilePlan {
  const parsed = DockerfileParser.parse(text);
  const escape = parsed.getEscapeCharacter();
  const globalArgs = new Map<string, string | undefined>();
  const stages: DockerfileStage[] = [];
  let current: DockerfileStage | null = null;
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const args = instruction.getArguments().map((a) => a.getValue());
      const name = args.length >= 3 && args[1]!.toUpperCase() === 'AS' ? args[2]!.toLowerCase() : null;
      const vars = definedOnly(globalArgs);
      const base = expandDockerWord(args[0] ?? '', vars, escape);
      const from = instructionText({ text }, instruction);
      current = { index: stages.length, name, label: name ?? String(stages.length), base, line: lineOf(instruction), from, instructions: [] };
      stages.push(current);
    } else if (current) {
      current.instructions.push(instruction);
    } else if (keyword === 'ARG') {
      for (const p of properties(instruction)) {
        const name = p.getName();
        const raw = rawValue(p);
        globalArgs.set(name, buildArgs[name] ?? (raw === null ? undefined : expandDockerWord(raw, definedOnly(globalArgs), escape)));
      }
    }
  }
  return {
    text,
    escape,
    globalArgs,
    buildArgs,
    stages,
    stage: (ref) => stages.find((s) => s.name === ref.toLowerCase()) ?? (/^\d+$/.test(ref) ? stages[Number(ref)] : undefined),
  };
}

/** The instruction as written, on one line, for logs and errors. */
export function instructionText(plan: Pick<DockerfilePlan, 'text'>, instruction: Instruction): string {
  const range = instruction.getRange();
  const lines = plan.text.split(/\r?\n/).slice(range.start.line, range.end.line + 1);
  return lines
    .map((l) => l.trim())
    .filter((l) => !l.startsWith('#'))
    .join(' ')
    .replace(/\\ /g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

function properties(instruction: Instruction): Property[] {
  return (instruction as unknown as { getProperties(): Property[] }).getProperties();
}

/** A property's value as written (quotes and all), for Docker's own substitution. */
function rawValue(p: Property): string | null {
  // dockerfile-ast's naming is the reverse of what one expects: getValue() has the quotes removed.
  return p.getUnescapedValue();
}

function definedOnly(vars: Map<string, string | undefined>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of vars) if (v !== undefined) out.set(k, v);
  return out;
}

// ---------------------------------------------------------------------------------------------
// A stage's variables and working directory, as its instructions set them

class StageVars {
  readonly env = new Map<string, string>();
  readonly args = new Map<string, string>();
  workdir = '/';

  constructor(
    readonly plan: DockerfilePlan,
    readonly stage: DockerfileStage,
  ) {}

  /** What `$VAR` sees: ARGs declared in the stage, ENV over them. */
  vars(): Vars {
    return new Map([...this.args, ...this.env]);
  }

  expand(word: string): string {
    return expandDockerWord(word, this.vars(), this.plan.escape);
  }

  /** ARG, ENV and WORKDIR; false for any other instruction. */
  apply(instruction: Instruction): boolean {
    const keyword = instruction.getKeyword();
    if (keyword === 'ENV') {
      // Every value of one ENV instruction is expanded with the variables from before it.
      const vars = this.vars();
      for (const p of properties(instruction)) this.env.set(p.getName(), expandDockerWord(rawValue(p) ?? '', vars, this.plan.escape));
      return true;
    }
    if (keyword === 'ARG') {
      for (const p of properties(instruction)) {
        const name = p.getName();
        const raw = rawValue(p);
        const value =
          this.plan.buildArgs[name] ?? (raw !== null ? this.expand(raw) : this.plan.globalArgs.has(name) ? this.plan.globalArgs.get(name) : undefined);
        if (value !== undefined) this.args.set(name, value);
      }
      return true;
    }
    if (keyword === 'WORKDIR') {
      const dir = this.expand(instruction.getArgumentsContent() ?? '');
      this.workdir = path.posix.resolve(this.workdir, dir);
      return true;
    }
    return false;
  }
}

/** A COPY instruction with Docker's substitution done. */
export interface CopyInstruction {
  line: number;
  /** `--from=`: a stage (or image) name, or null for the build context. */
  from: string | null;
  sources: string[];
  dest: string;
  /** The stage's WORKDIR at this COPY (a relative `dest` is relative to it). */
  workdir: string;
  flags: Record<string, string | null>;
}

function readCopy(vars: StageVars, instruction: Instruction): CopyInstruction {
  const flags: Record<string, string | null> = {};
  for (const flag of (instruction as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags()) {
    const value = flag.getValue();
    flags[flag.getName()] = value === null ? null : vars.expand(value);
  }
  const content = (instruction.getArgumentsContent() ?? '').trim();
  let words: string[];
  if (content.startsWith('[')) {
    try {
      words = (JSON.parse(content) as string[]).map((w) => vars.expand(w));
    } catch {
      words = instruction.getArguments().map((a) => vars.expand(a.getValue()));
    }
  } else {
    words = instruction.getArguments().map((a) => vars.expand(a.getValue()));
  }
  if (words.length < 2) throw new Error(`COPY needs a source and a destination`);
  return { line: lineOf(instruction), from: flags.from ?? null, sources: words.slice(0, -1), dest: words.at(-1)!, workdir: vars.workdir, flags };
}

/**
 * The COPY instructions of a stage with their variables resolved (e.g. the runner's
 * `COPY --from=builder /app/_build/${MIX_ENV}/rel/app ./`), without replaying anything.
 */
export function stageCopies(plan: DockerfilePlan, stageRef: string): CopyInstruction[] {
  const stage = plan.stage(stageRef);
  if (!stage) throw new Error(`no stage ${stageRef} in the Dockerfile`);
  const vars = new StageVars(plan, stage);
  const copies: CopyInstruction[] = [];
  for (const instruction of stage.instructions) {
    if (!vars.apply(instruction) && instruction.getKeyword() === 'COPY') copies.push(readCopy(vars, instruction));
  }
  return copies;
}

// ---------------------------------------------------------------------------------------------
// COPY

export class CopyError extends Error {}

/**
 * Docker's COPY into `rootfs` (an image filesystem on this machine) from `srcRoot` (the build
 * context, or an earlier stage's rootfs):
 * - each source is relative to `srcRoot` (a leading `/` or `..` cannot leave it);
 * - a directory source copies its contents, not the directory itself;
 * - a file source goes into `dest` when `dest` ends with `/` (or is `.`) or is an existing
 *   directory, and otherwise becomes `dest`;
 * - a relative `dest` is relative to the working directory; missing directories are created;
 * - `*`, `?` and `[...]` in a source match within a path segment; a wildcard that matches nothing
 *   copies nothing (BuildKit, Docker's builder, allows it), a plain source that does not exist is
 *   an error, as is more than one source (or match) for a `dest` that is not a directory (`/`).
 * Returns the source paths copied (relative to `srcRoot`) and the wildcards that matched nothing.
 */
export async function dockerCopy(op: { srcRoot: string; sources: string[]; dest: string; rootfs: string; workdir: string }): Promise<{ copied: string[]; unmatched: string[] }> {
  const matched: string[] = [];
  const unmatched: string[] = [];
  for (const source of op.sources) {
    const rel = path.posix.normalize(`/${source}`).slice(1).replace(/\/$/, '');
    if (hasWildcard(source)) {
      const found = await expandWildcard(op.srcRoot, rel);
      if (found.length === 0) unmatched.push(source);
      matched.push(...found);
    } else {
      if (!(await pathExists(path.join(op.srcRoot, rel)))) throw new CopyError(`"${source}": not found`);
      matched.push(rel);
    }
  }
  const destIsDir = op.dest === '.' || op.dest.endsWith('/') || op.dest.endsWith('/.');
  if (matched.length > 1 && !destIsDir) {
    throw new CopyError('When using COPY with more than one source file, the destination must be a directory and end with a /');
  }
  const destImage = path.posix.resolve(op.workdir, op.dest);
  const destHost = inRoot(op.rootfs, destImage);
  for (const rel of matched) {
    const from = await resolveInRoot(op.srcRoot, rel);
    const st = await stat(from);
    if (st.isDirectory()) {
      await fse.ensureDir(destHost);
      for (const name of await readdir(from)) {
        await fse.copy(path.join(from, name), path.join(destHost, name), { overwrite: true, dereference: false, preserveTimestamps: true });
      }
    } else {
      const into = destIsDir || (await isDirectory(destHost));
      const target = into ? path.join(destHost, path.posix.basename(rel)) : destHost;
      await fse.ensureDir(path.dirname(target));
      await fse.copy(from, target, { overwrite: true, preserveTimestamps: true });
    }
  }
  return { copied: matched, unmatched };
}

async function expandWildcard(root: string, rel: string): Promise<string[]> {
  let found = [''];
  for (const segment of rel.split('/')) {
    const next: string[] = [];
    for (const dir of found) {
      if (!hasWildcard(segment)) {
        const candidate = dir ? `${dir}/${unescape(segment)}` : unescape(segment);
        if (await pathExists(path.join(root, candidate))) next.push(candidate);
        continue;
      }
      if (!(await isDirectory(path.join(root, dir)))) continue;
      for (const name of (await readdir(path.join(root, dir))).sort()) {
        if (matchesSegment(segment, name)) next.push(dir ? `${dir}/${name}` : name);
      }
    }
    found = next;
  }
  return found;
}

function unescape(segment: string): string {
  return segment.replace(/\\(.)/g, '$1');
}

/** An image path inside `rootfs` (`..` cannot climb out of it). */
function inRoot(rootfs: string, imagePath: string): string {
  return path.join(rootfs, path.posix.normalize(`/${imagePath}`));
}

/** A source path with its links followed, refused if it leads out of `root`. */
async function resolveInRoot(root: string, rel: string): Promise<string> {
  const real = await realpath(path.join(root, rel));
  const realRoot = await realpath(root);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new CopyError(`"${rel}" leads out of the build context (a link to ${real})`);
  return real;
}

async function pathExists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// RUN

/** Commands the replay does not run, and why. */
function skipReason(argv: string[]): string | null {
  const [cmd, sub] = argv;
  if (cmd === 'apt-get') return 'system packages: the host provides the toolchain';
  if (cmd === 'mix' && (sub === 'local.hex' || sub === 'local.rebar')) {
    return `installs ${sub === 'local.hex' ? 'Hex' : 'Rebar'} from the network; the replay is offline (HEX_OFFLINE=1)`;
  }
  if (cmd === 'npm') return 'Node packages come from the network: what this would make is missing from the replay';
  if (cmd === 'rm' && argv.length === 3 && argv[1] === '-rf' && argv[2] === '/var/lib/apt/lists/*') return "apt's package lists, which the replay never fetched";
  return null;
}

/** Variables a RUN cannot set for the host's tools: the replay's own, or the image's paths. */
const HOST_ONLY = ['PATH', 'HOME', 'MIX_HOME', 'HEX_HOME', 'HEX_OFFLINE'];

interface SkippedRun {
  line: number;
  command: string;
  /** The image directory it would have run in: what it makes would be under it. */
  cwd: string;
}

// ---------------------------------------------------------------------------------------------
// The replay

interface StageOutcome {
  stage: DockerfileStage;
  rootfs: string;
  vars: StageVars;
  skippedRuns: SkippedRun[];
}

export async function replayBuild(options: ReplayOptions): Promise<ReplayResult> {
  const text = options.dockerfile ?? (await readFile(path.join(options.context, 'Dockerfile'), 'utf8'));
  const plan = parseDockerfile(text, options.buildArgs);
  const target = options.target ? plan.stage(options.target) : findReleaseStage(plan);
  if (!target) throw new Error(options.target ? `no stage ${options.target} in the Dockerfile` : 'no stage of the Dockerfile runs `mix release`');

  await fse.ensureDir(options.scratch);
  const scratch = await realpath(options.scratch);
  const contextCopy = path.join(scratch, 'context');
  const home = path.join(scratch, 'home');
  await fse.emptyDir(contextCopy);
  await copyBuildContext(options.context, contextCopy);
  await fse.ensureDir(home);

  const steps: ReplayStep[] = [];
  const outcomes = new Map<number, Promise<StageOutcome>>();

  const record = (step: ReplayStep) => {
    steps.push(step);
    options.onStep?.(step);
  };

  // Each stage is replayed once, when first needed; a stage only builds on earlier ones.
  const replayStage = (stage: DockerfileStage): Promise<StageOutcome> => {
    let outcome = outcomes.get(stage.index);
    if (!outcome) {
      outcome = runStage(stage);
      outcomes.set(stage.index, outcome);
    }
    return outcome;
  };

  const runStage = async (stage: DockerfileStage): Promise<StageOutcome> => {
    const rootfs = path.join(scratch, 'stages', `${stage.index}-${stage.label.replace(/[^\w.-]/g, '_')}`);
    await fse.emptyDir(rootfs);
    const vars = new StageVars(plan, stage);
    const skippedRuns: SkippedRun[] = [];
    // FROM another stage: its filesystem, ENV and WORKDIR are the start of this one.
    const parent = plan.stage(stage.base);
    if (parent && parent.index < stage.index) {
      const base = await replayStage(parent);
      await fse.copy(base.rootfs, rootfs, { dereference: false });
      for (const [k, v] of base.vars.env) vars.env.set(k, v);
      vars.workdir = base.vars.workdir;
      skippedRuns.push(...base.skippedRuns);
    }
    record({
      stage: stage.label,
      line: stage.line,
      instruction: stage.from,
      status: parent ? 'done' : 'skipped',
      detail: parent ? `starts from stage ${parent.label}` : `base image ${stage.base}: its filesystem is not replayed, the host's tools stand for it`,
    });

    for (const instruction of stage.instructions) {
      const line = lineOf(instruction);
      const written = instructionText(plan, instruction);
      const keyword = instruction.getKeyword();
      const fail = (reason: string, output = ''): never => {
        throw new ReplayError(stage.label, line, written, reason, output, steps);
      };
      const done = (status: ReplayStep['status'], detail: string, output?: string) =>
        record({ stage: stage.label, line, instruction: written, status, detail, ...(output ? { output } : {}) });

      try {
        if (vars.apply(instruction)) {
          if (keyword === 'WORKDIR') await fse.ensureDir(inRoot(rootfs, vars.workdir));
          done('done', keyword === 'WORKDIR' ? `working directory ${vars.workdir}` : describeVars(instruction, vars));
          continue;
        }
        switch (keyword) {
          case 'COPY':
            await replayCopy();
            break;
          case 'RUN':
            await replayRun();
            break;
          case 'ADD':
          case 'SHELL':
          case 'ONBUILD':
            fail(`the replay does not support ${keyword}`);
            break;
          default:
            done('skipped', `${keyword} sets image metadata only`);
        }
      } catch (error) {
        if (error instanceof ReplayError) throw error;
        fail(error instanceof Error ? error.message : String(error));
      }

      async function replayCopy(): Promise<void> {
        if ((instruction as unknown as { getHeredocs(): unknown[] }).getHeredocs().length > 0) fail('the replay does not support COPY with a here-document');
        const copy = readCopy(vars, instruction);
        for (const flag of Object.keys(copy.flags)) {
          if (!['from', 'chown', 'chmod', 'link'].includes(flag)) fail(`the replay does not support COPY --${flag}`);
        }
        const ignored = Object.keys(copy.flags).filter((f) => f !== 'from');
        const note = ignored.length ? ` (${ignored.map((f) => `--${f}`).join(', ')} not replayed: ownership and modes are this machine's)` : '';
        let srcRoot = contextCopy;
        let fromNote = 'from the build context';
        if (copy.from !== null) {
          const source = plan.stage(copy.from);
          if (!source || source.index >= stage.index) fail(`COPY --from=${copy.from}: not an earlier stage of this Dockerfile; the replay copies from stages only`);
          const outcome = await replayStage(source!);
          srcRoot = outcome.rootfs;
          fromNote = `from stage ${source!.label}`;
          // A path that only a skipped step (npm ...) would have made is missing: say so and go on.
          const missing: string[] = [];
          for (const src of copy.sources) {
            const rel = path.posix.normalize(`/${src}`);
            if (hasWildcard(src) || (await pathExists(inRoot(srcRoot, rel)))) continue;
            const maker = outcome.skippedRuns.find((r) => rel === r.cwd || rel.startsWith(r.cwd === '/' ? '/' : `${r.cwd}/`));
            if (!maker) fail(`"${src}": not found in stage ${source!.label}`);
            missing.push(`${src} (stage ${source!.label} skipped line ${maker!.line}: ${maker!.command}, which would have made it)`);
          }
          if (missing.length === copy.sources.length) {
            done('skipped', `not in the replay: ${missing.join('; ')}`);
            return;
          }
          if (missing.length) fail(`some sources are missing because a step was skipped: ${missing.join('; ')}`);
        }
        const { copied, unmatched } = await dockerCopy({ srcRoot, sources: copy.sources, dest: copy.dest, rootfs, workdir: vars.workdir });
        const wild = unmatched.length ? `; ${unmatched.join(', ')} matched nothing` : '';
        const shown = copied.map((rel) => (copy.from === null ? rel : `/${rel}`));
        done('done', `copied ${shown.join(', ') || 'nothing'} ${fromNote} to ${path.posix.resolve(vars.workdir, copy.dest)}${copy.dest.endsWith('/') ? '/' : ''}${wild}${note}`);
      }

      async function replayRun(): Promise<void> {
        if ((instruction as unknown as { getHeredocs(): unknown[] }).getHeredocs().length > 0) fail('the replay does not support RUN with a here-document');
        const flags = (instruction as unknown as { getFlags(): { getName(): string }[] }).getFlags().map((f) => `--${f.getName()}`);
        const content = (instruction.getArgumentsContent() ?? '').trim();
        let commands: string[][];
        if (content.startsWith('[')) {
          // Exec form: one command, no shell, no substitution.
          commands = [JSON.parse(content) as string[]];
        } else {
          let tokens;
          try {
            tokens = shellTokens(content, vars.vars());
          } catch (error) {
            if (error instanceof WordError) return fail(`the replay does not interpret ${error.message}`);
            throw error;
          }
          commands = [[]];
          for (const token of tokens) {
            if (token.kind === 'op') {
              if (token.value !== '&&') fail(`the replay does not interpret the shell operator ${token.value}`);
              commands.push([]);
            } else {
              commands.at(-1)!.push(token.value);
              // A glob is only fine in a command that is skipped anyway (rm -rf .../lists/*).
              if (token.glob && !skipReason(commands.at(-1)!)) fail(`the replay does not expand the shell glob ${token.value}`);
            }
          }
          if (commands.some((c) => c.length === 0)) fail('an empty command in an && chain');
        }
        const cwdImage = vars.workdir;
        const cwd = inRoot(rootfs, cwdImage);
        const parts: string[] = [];
        const outputs: string[] = [];
        let ran = 0;
        for (const argv of commands) {
          const command = argv.join(' ');
          const reason = skipReason(argv);
          if (reason) {
            parts.push(`skipped \`${command}\` (${reason})`);
            // npm makes its files (node_modules) in the working directory; the others elsewhere.
            if (argv[0] === 'npm') skippedRuns.push({ line, command, cwd: cwdImage });
            continue;
          }
          ran++;
          if (argv[0] === 'mix') {
            const toolchain = options.toolchain ?? HOST;
            const env = toolchain.envAt(home, imageVars(vars));
            const result = await toolchain.runMix(argv.slice(1), { cwd, env, timeoutMs: options.timeoutMs ?? 300_000 });
            const output = `${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`.trim();
            outputs.push(`$ ${command}\n${output}`);
            if (result.code !== 0) fail(`\`${command}\` exited with code ${result.code}`, output);
            parts.push(`ran \`${command}\``);
          } else if (argv[0] === 'mkdir') {
            parts.push(`ran \`${command}\``);
            await replayMkdir(argv.slice(1), rootfs, cwdImage).catch((error: Error) => fail(`\`${command}\`: ${error.message}`));
          } else {
            fail(`the replay does not run \`${argv[0]}\` (it runs mix and mkdir, and skips ${SKIPPED})`);
          }
        }
        const flagNote = flags.length ? ` (${flags.join(', ')} not replayed)` : '';
        done(ran === 0 ? 'skipped' : 'done', parts.join('; ') + flagNote, outputs.join('\n') || undefined);
      }
    }
    return { stage, rootfs, vars, skippedRuns };
  };

  const outcome = await replayStage(target);
  const workdir = outcome.vars.workdir;
  return {
    stage: target.label,
    rootfs: outcome.rootfs,
    workdir,
    app: inRoot(outcome.rootfs, workdir),
    env: Object.fromEntries(outcome.vars.env),
    steps,
    context: contextCopy,
    home,
    hostPath: (imagePath) => inRoot(outcome.rootfs, path.posix.resolve(workdir, imagePath)),
    dockerfile: plan,
  };
}

const SKIPPED = 'apt-get, mix local.hex, mix local.rebar, npm and rm -rf /var/lib/apt/lists/*';

/** The stage whose RUN runs `mix release` (the builder). */
export function findReleaseStage(plan: DockerfilePlan): DockerfileStage | undefined {
  return plan.stages.find((stage) =>
    stage.instructions.some((i) => i.getKeyword() === 'RUN' && /(^|&&|\s)mix\s+release(\s|$)/.test(i.getArgumentsContent() ?? '')),
  );
}

/** The stage's ENV/ARG a RUN sees (the toolchain adds its PATH and the private HOME). */
function imageVars(vars: StageVars): Record<string, string> {
  return Object.fromEntries([...vars.vars()].filter(([k]) => !HOST_ONLY.includes(k)));
}

function describeVars(instruction: Instruction, vars: StageVars): string {
  const names = properties(instruction).map((p) => p.getName());
  const show = (name: string) => {
    const value = vars.env.get(name) ?? vars.args.get(name);
    return value === undefined ? `${name} (unset)` : `${name}=${value}`;
  };
  return names.map(show).join(' ');
}

/** `mkdir [-p] [-m mode] dir...` inside the image filesystem. */
async function replayMkdir(args: string[], rootfs: string, workdir: string): Promise<void> {
  let parents = false;
  let mode: number | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-p' || arg === '--parents') parents = true;
    else if (arg === '-m' || arg === '--mode') mode = parseInt(args[++i] ?? '', 8);
    else if (arg.startsWith('--mode=')) mode = parseInt(arg.slice(7), 8);
    else if (arg.startsWith('-')) throw new Error(`mkdir option ${arg} is not replayed`);
    else dirs.push(arg);
  }
  if (dirs.length === 0) throw new Error('mkdir: missing operand');
  for (const dir of dirs) {
    const target = inRoot(rootfs, path.posix.resolve(workdir, dir));
    if (!parents && existsSync(target)) throw new Error(`mkdir: cannot create directory '${dir}': File exists`);
    await mkdir(target, { recursive: parents, ...(mode !== undefined && !Number.isNaN(mode) ? { mode } : {}) });
  }
}

/** How a container of the stage starts: its last WORKDIR, and its CMD (a shell form run by `/bin/sh -c`). */
export function stageStart(plan: DockerfilePlan, stageRef: string): { workdir: string; cmd: string[] } {
  const stage = plan.stage(stageRef);
  if (!stage) throw new Error(`no stage ${stageRef} in the Dockerfile`);
  const vars = new StageVars(plan, stage);
  for (const instruction of stage.instructions) vars.apply(instruction);
  return { workdir: vars.workdir, cmd: cmdOf(stage) };
}

function cmdOf(stage: DockerfileStage): string[] {
  const content = (stage.instructions.filter((i) => i.getKeyword() === 'CMD').at(-1)?.getArgumentsContent() ?? '').trim();
  return content.startsWith('[') ? (JSON.parse(content) as string[]) : ['/bin/sh', '-c', content];
}

/**
 * The runner stage seen through the replay: the release it copies from the replayed stage
 * (`COPY --from=builder /app/_build/prod/rel/app ./`) and its CMD, with the paths it names in the
 * image mapped to the replayed files. Throws when the runner copies nothing from the replayed
 * stage, or a path that the replay did not make.
 */
export function runnerView(result: ReplayResult, runnerRef?: string): { stage: string; copy: CopyInstruction; releaseDir: string; cmd: string[] } {
  const plan = result.dockerfile;
  const runner = runnerRef ? plan.stage(runnerRef) : plan.stages.at(-1);
  if (!runner) throw new Error(`no stage ${runnerRef ?? ''} in the Dockerfile`);
  const built = plan.stage(result.stage)!;
  const copies = stageCopies(plan, runner.label).filter((c) => c.from !== null && plan.stage(c.from)?.index === built.index);
  if (copies.length !== 1 || copies[0]!.sources.length !== 1) {
    throw new Error(`stage ${runner.label} should copy one path from stage ${built.label}; it has ${copies.map((c) => `line ${c.line}`).join(', ') || 'none'}`);
  }
  const copy = copies[0]!;
  const releaseDir = inRoot(result.rootfs, copy.sources[0]!);
  if (!existsSync(releaseDir)) throw new Error(`line ${copy.line}: stage ${built.label} has no ${copy.sources[0]} (the replay made ${result.app})`);
  // Where the copy lands in the runner's image, and what its CMD names there.
  const landed = path.posix.resolve(copy.workdir, copy.dest);
  const cmd = cmdOf(runner).map((arg, i) => {
    if (i > 0 || !arg.startsWith('/')) return arg;
    const rel = path.posix.relative(landed, arg);
    return rel.startsWith('..') ? arg : path.join(releaseDir, rel);
  });
  return { stage: runner.label, copy, releaseDir, cmd };
}
