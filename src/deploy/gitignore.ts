// compose.yaml reads the release's secrets from .env: a file that must never be committed. The
// project's .gitignore gets a `.env` line unless one of its rules already ignores the file.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PlannedEdit } from '../production/user-edits.js';
import type { RenderedFile } from '../types.js';

const LINES = '# The environment docker compose reads (compose.yaml): secrets, never committed.\n.env\n';

export async function planGitignoreEdit(root: string): Promise<{ edit: RenderedFile; planned: PlannedEdit } | null> {
  const file = path.join(root, '.gitignore');
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text !== null) {
    const { default: ignore } = await import('ignore');
    if (ignore().add(text).ignores('.env')) return null;
  }
  const content = text === null ? LINES : `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${text === '' ? '' : '\n'}${LINES}`;
  return {
    // A patched file keeps its own mode (src/commit).
    edit: { path: '.gitignore', content, mode: 0o644, ...(text === null ? {} : { patch: true }) },
    planned: { file: '.gitignore', what: `${text === null ? 'create it to ignore' : 'ignore'} .env, where docker compose reads the secrets from`, snippet: '.env' },
  };
}
