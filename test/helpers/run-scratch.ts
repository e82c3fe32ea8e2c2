// A vitest global setup: every scratch directory of the run (os.tmpdir() in the test workers,
// which start after this) lives under one per-run directory, removed when the run ends, so tests
// need not clean up one by one and /tmp does not fill up run after run (a mutation run is
// thousands of runs).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Points TMPDIR at a fresh directory; returns what removes it. */
export function useRunScratch(): () => void {
  const runTmp = mkdtempSync(path.join(os.tmpdir(), 'create-release-run-'));
  process.env.TMPDIR = runTmp;
  return () => rmSync(runTmp, { recursive: true, force: true });
}

export default useRunScratch;
