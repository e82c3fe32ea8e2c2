// Builds the package and installs its packed tarball into a scratch directory, as `npx` would,
// so CLI tests run the real published bin. Each test run gets its own copy (runs may overlap).
// All of it, and every scratch directory the tests make, goes under the run's own directory.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error: plain ESM build script without types
import { buildPackage } from '../../scripts/build.mjs';
import { useRunScratch } from './run-scratch.js';

const repo = path.resolve(import.meta.dirname, '../..');

export default async function setup(project: TestProject) {
  const removeRunScratch = useRunScratch();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'create-release-pkg-'));
  const pkgDir = path.join(scratch, 'package');
  mkdirSync(pkgDir);
  await buildPackage(path.join(pkgDir, 'dist'));
  for (const file of ['package.json', 'README.md']) {
    try {
      copyFileSync(path.join(repo, file), path.join(pkgDir, file));
    } catch {
      // README may not exist yet on a fresh branch; npm pack does not need it.
    }
  }
  const npmEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: pkgDir, env: npmEnv, stdio: 'pipe' });
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  const installDir = path.join(scratch, 'install');
  mkdirSync(installDir);
  writeFileSync(path.join(installDir, 'package.json'), '{"private":true}');
  execFileSync('npm', ['install', '--offline', path.join(scratch, tarball)], { cwd: installDir, env: npmEnv, stdio: 'pipe' });
  project.provide('cliBin', path.join(installDir, 'node_modules', '.bin', 'create-release'));
  project.provide('tarball', path.join(scratch, tarball));
  return removeRunScratch;
}

declare module 'vitest' {
  export interface ProvidedContext {
    cliBin: string;
    tarball: string;
  }
}
