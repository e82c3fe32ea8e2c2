// The network module is loaded only when the run may use the network, and undici only when a
// proxy is set: both cost start-up time the common run should not pay.
import { describe, expect, it, vi } from 'vitest';
import { chooseImage } from '../../src/images/index.js';
import { closedPort } from './fake-index.js';

const loaded = vi.hoisted(() => ({ index: 0, undici: 0 }));

vi.mock('../../src/images/image-index.js', async (importOriginal) => {
  loaded.index++;
  return importOriginal();
});
vi.mock('undici', async (importOriginal) => {
  loaded.undici++;
  return importOriginal();
});

const input = {
  elixir: { version: '1.18.4', source: '--elixir' },
  otp: { version: '27.3.4', source: '--otp' },
  elixirRequirement: '~> 1.14',
  env: {},
};

describe('lazy loading', () => {
  it('never loads the network module offline, then loads it online, and undici only with a proxy', async () => {
    const bobUrl = `http://127.0.0.1:${await closedPort()}`;
    await chooseImage({ ...input, offline: true, bobUrl });
    expect(loaded).toEqual({ index: 0, undici: 0 });

    await chooseImage({ ...input, offline: false, bobUrl });
    expect(loaded).toEqual({ index: 1, undici: 0 });

    await chooseImage({ ...input, offline: false, bobUrl, env: { HTTP_PROXY: bobUrl } });
    expect(loaded).toEqual({ index: 1, undici: 1 });
  });
});
