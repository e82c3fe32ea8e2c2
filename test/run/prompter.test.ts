// The inquirer-backed Prompter on a scripted terminal: keys go in through a stream, the screen
// comes out of another. Each question returns what the keys chose; Ctrl-C and the run's abort
// become InterruptedError (exit 130), the diff is shown on request and the question asked again.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { createInquirerPrompter } from '../../src/prompter.js';

const ENTER = '\r';
const DOWN = '\x1b[B';
const SPACE = ' ';
const CTRL_C = '\x03';

function terminal(signal = new AbortController().signal) {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  const shown: string[] = [];
  const prompter = createInquirerPrompter(signal, (text) => shown.push(text), { input, output });
  // Keys arrive one by one, after the prompt has started listening.
  const type = async (...keys: string[]) => {
    for (const key of keys) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      input.write(key);
    }
  };
  return { prompter, type, shown, screen: () => screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') };
}

describe('createInquirerPrompter', () => {
  it('confirm: y is yes, n is no, Enter takes the default', async () => {
    const t = terminal();
    const p = await t.prompter;
    const yes = p.confirm('Add a Dockerfile?', false);
    await t.type('y', ENTER);
    expect(await yes).toBe(true);
    const no = p.confirm('Add a Dockerfile?', true);
    await t.type('n', ENTER);
    expect(await no).toBe(false);
    const byDefault = p.confirm('Add a Dockerfile?', true);
    await t.type(ENTER);
    expect(await byDefault).toBe(true);
    expect(t.screen()).toContain('Add a Dockerfile?');
  });

  it('select: the arrow moves down the choices, in the order given', async () => {
    const t = terminal();
    const p = await t.prompter;
    const answer = p.select('Which release?', ['storefront', 'worker', 'admin']);
    await t.type(DOWN, ENTER);
    expect(await answer).toBe('worker');
    expect(t.screen()).toContain('Which release?');
  });

  it('checkbox: Space ticks, Enter answers with the ticked values', async () => {
    const t = terminal();
    const p = await t.prompter;
    const answer = p.checkbox('Deploy to?', [
      { value: 'fly', name: 'Fly.io' },
      { value: 'kubernetes', name: 'Kubernetes' },
      { value: 'compose', name: 'Docker Compose' },
    ]);
    await t.type(DOWN, SPACE, DOWN, SPACE, ENTER);
    expect(await answer).toEqual(['kubernetes', 'compose']);
    expect(t.screen()).toContain('Kubernetes');
  });

  it.each([
    ['y', 'overwrite'],
    ['n', 'skip'],
    ['a', 'all'],
    ['q', 'quit'],
  ] as const)('conflict: %s answers %s', async (key, expected) => {
    const t = terminal();
    const p = await t.prompter;
    const answer = p.conflict({ path: 'Dockerfile', diff: '--- a/Dockerfile' });
    await t.type(key, ENTER);
    expect(await answer).toBe(expected);
    expect(t.screen()).toContain('Dockerfile differs from what create-release would write. Overwrite?');
    expect(t.shown).toEqual([]);
  });

  it('conflict: d shows the diff and asks again', async () => {
    const t = terminal();
    const p = await t.prompter;
    const answer = p.conflict({ path: 'Dockerfile', diff: '--- a/Dockerfile\n+++ b/Dockerfile' });
    await t.type('d', ENTER);
    await t.type('n', ENTER);
    expect(await answer).toBe('skip');
    expect(t.shown).toEqual(['--- a/Dockerfile\n+++ b/Dockerfile']);
  });

  it('conflict: Enter overwrites (the default)', async () => {
    const t = terminal();
    const p = await t.prompter;
    const answer = p.conflict({ path: 'Dockerfile', diff: '' });
    await t.type(ENTER);
    expect(await answer).toBe('overwrite');
  });

  it('Ctrl-C at a question is an interruption', async () => {
    const t = terminal();
    const p = await t.prompter;
    const answer = p.confirm('Add a Dockerfile?', false).catch((e: unknown) => e);
    await t.type(CTRL_C);
    const error = await answer;
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
  });

  it("the run's abort at a question is an interruption", async () => {
    const controller = new AbortController();
    const t = terminal(controller.signal);
    const p = await t.prompter;
    const answers = [
      p.select('Which release?', ['a', 'b']).catch((e: unknown) => e),
      p.checkbox('Deploy to?', [{ value: 'fly', name: 'Fly.io' }]).catch((e: unknown) => e),
      p.conflict({ path: 'Dockerfile', diff: '' }).catch((e: unknown) => e),
    ];
    controller.abort();
    for (const error of await Promise.all(answers)) expect(error).toBeInstanceOf(InterruptedError);
  });
});
