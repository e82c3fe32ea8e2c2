import { spawn } from 'node:child_process';
import { inject } from 'vitest';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the installed `create-release` bin (from the packed tarball) in a child process with no
 * terminal: stdin is closed, stdout/stderr are pipes, CI=true as in CI.
 */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, CI: 'true', NO_COLOR: '1', ...opts.env };
  delete env.FORCE_COLOR;
  for (const [key, value] of Object.entries(opts.env ?? {})) if (value === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(inject('cliBin'), args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
