// Runs the built CLI on a fresh copy of examples/hello (a Phoenix project), so a newcomer sees
// what create-release writes and prints without touching the repository.
// Usage: npm run example [-- extra create-release flags]   (default flags: --yes --docker --offline)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = path.join(mkdtempSync(path.join(os.tmpdir(), 'create-release-example-')), 'hello');
cpSync(path.join(repo, 'examples', 'hello'), project, { recursive: true });

const flags = process.argv.slice(2);
const args = [path.join(repo, 'dist', 'cli.js'), project, ...(flags.length ? flags : ['--yes', '--docker', '--offline'])];
console.log(`$ create-release ${args.slice(1).join(' ')}\n`);
const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });

const listing = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else listing.push(path.relative(project, full));
  }
})(project);
console.log(`\nThe example project is now at ${project}:\n  ${listing.join('\n  ')}`);
process.exitCode = status ?? 1;
