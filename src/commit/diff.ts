import { createTwoFilesPatch } from 'diff';
import picocolors from 'picocolors';

/**
 * A unified diff from the file on disk (`oldText`, null when it does not exist) to what would be
 * written, with git-style `a/` `b/` headers. `color` is decided by the caller (TTY, NO_COLOR),
 * never read from the environment here, so `--json` and tests get plain text.
 */
export function formatDiff(path: string, oldText: string | null, newText: string, color: boolean): string {
  const patch = createTwoFilesPatch(
    oldText === null ? '/dev/null' : `a/${path}`,
    `b/${path}`,
    oldText ?? '',
    newText,
    undefined,
    undefined,
    { context: 3 },
  );
  // jsdiff opens with a row of `=`; git and users expect the patch to start at `---`.
  const lines = patch.split('\n').filter((line, i) => !(i === 0 && /^=+$/.test(line)));
  if (!color) return lines.join('\n');
  const c = picocolors.createColors(true);
  return lines.map((line) => paintLine(line, c)).join('\n');
}

type Painter = ReturnType<typeof picocolors.createColors>;

function paintLine(line: string, c: Painter): string {
  if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
  if (line.startsWith('@@')) return c.cyan(line);
  if (line.startsWith('+')) return c.green(line);
  if (line.startsWith('-')) return c.red(line);
  if (line.startsWith('\\')) return c.dim(line);
  return line;
}
