// Replays the builder stage of a project's Dockerfile without Docker, step by step, for
// debugging a generated Dockerfile (the tests use the same code: test/helpers/docker-replay.ts).
// Not part of the published package.
//
//   npx tsx scripts/replay-dockerfile.ts <project> [--target STAGE] [--build-arg NAME=VALUE]... [--scratch DIR]
//
// The scratch directory (a new temp dir unless given) is kept: <scratch>/stages/*/ are the
// replayed image filesystems, <scratch>/context the build context as Docker would send it.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ReplayError, replayBuild, type ReplayStep } from '../test/helpers/docker-replay.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    target: { type: 'string' },
    'build-arg': { type: 'string', multiple: true },
    scratch: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || positionals.length !== 1) {
  console.log('usage: npx tsx scripts/replay-dockerfile.ts <project> [--target STAGE] [--build-arg NAME=VALUE]... [--scratch DIR]');
  process.exit(values.help ? 0 : 2);
}

const context = path.resolve(positionals[0]!);
const scratch = values.scratch ? path.resolve(values.scratch) : await mkdtemp(path.join(os.tmpdir(), 'docker-replay-'));
const buildArgs = Object.fromEntries(
  (values['build-arg'] ?? []).map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? [pair, process.env[pair] ?? ''] : [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

const show = (step: ReplayStep) => {
  const mark = step.status === 'done' ? 'done   ' : 'skipped';
  console.log(`${mark} ${step.stage}:${step.line}  ${step.instruction}\n          ${step.detail}`);
};

try {
  const result = await replayBuild({ context, scratch, buildArgs, ...(values.target ? { target: values.target } : {}), onStep: show });
  console.log(`\nreplayed stage ${result.stage}: ${result.workdir} is ${result.app}`);
  console.log(`scratch kept in ${scratch}`);
} catch (error) {
  if (error instanceof ReplayError) {
    console.error(`\nreplay failed: ${error.message}`);
    console.error(`scratch kept in ${scratch}`);
    process.exit(1);
  }
  throw error;
}
