// Times whole CLI runs against `node -e ''` in the same interleaved loop and reports medians and
// ratios. Each CLI run writes into a fresh copy of examples/hello, copied outside the timing.
// Usage: npm run bench [-- --runs 15]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fse from 'fs-extra';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;
const cli = path.join(repo, 'dist', 'cli.js');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'create-release-bench-'));

const cases = [
  { name: "node -e ''", args: () => ['-e', ''] },
  { name: 'create-release --yes', args: (dir) => [cli, dir, '--yes'] },
  { name: 'create-release --yes --docker --offline', args: (dir) => [cli, dir, '--yes', '--docker', '--offline'] },
  { name: 'create-release --yes --deploy (all three) --offline', args: (dir) => [cli, dir, '--yes', '--deploy', 'fly,kubernetes,compose', '--offline'] },
];

const times = new Map(cases.map((c) => [c.name, []]));
for (let i = 0; i < runs + 1; i++) {
  for (const c of cases) {
    const dir = path.join(scratch, `run-${i}-${times.get(c.name).length}-${c.name.length}`);
    fse.copySync(path.join(repo, 'examples', 'hello'), dir);
    const env = { ...process.env, NO_COLOR: '1' };
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, c.args(dir), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${c.name} failed (${result.status}): ${result.stderr}`);
    if (i > 0) times.get(c.name).push(ms); // the first round warms the disk cache
    rmSync(dir, { recursive: true, force: true });
  }
}
rmSync(scratch, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const base = median(times.get(cases[0].name));
console.log(`${runs} interleaved runs each, medians (node ${process.version}, ${os.cpus().length} cores)\n`);
console.log('case'.padEnd(52) + 'median ms'.padStart(10) + 'ratio'.padStart(8));
for (const c of cases) {
  const m = median(times.get(c.name));
  console.log(c.name.padEnd(52) + m.toFixed(0).padStart(10) + (m / base).toFixed(2).padStart(8));
}
