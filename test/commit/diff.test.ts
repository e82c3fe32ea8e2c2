import { describe, expect, it } from 'vitest';
import { formatDiff } from '../../src/commit/index.js';

describe('formatDiff', () => {
  it('is a plain unified diff with git-style headers', () => {
    const diff = formatDiff('rel/overlays/bin/server', 'a\nb\nc\n', 'a\nB\nc\n', false);
    expect(diff).toBe(['--- a/rel/overlays/bin/server', '+++ b/rel/overlays/bin/server', '@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c', ''].join('\n'));
  });

  it('diffs a new file against /dev/null', () => {
    expect(formatDiff('Dockerfile', null, 'FROM x\n', false)).toBe(['--- /dev/null', '+++ b/Dockerfile', '@@ -0,0 +1,1 @@', '+FROM x', ''].join('\n'));
  });

  it('keeps CRLF endings visible to a byte-level reader', () => {
    const diff = formatDiff('server.bat', 'a\r\nb\r\n', 'a\r\nc\r\n', false);
    expect(diff).toContain('-b\r\n+c\r\n');
  });

  it('colors only when asked', () => {
    const plain = formatDiff('x', 'a\n', 'b\n', false);
    const colored = formatDiff('x', 'a\n', 'b\n', true);
    expect(plain).not.toMatch(/\u001b\[/);
    expect(colored).toContain('\u001b[31m-a\u001b[39m');
    expect(colored).toContain('\u001b[32m+b\u001b[39m');
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });
});
