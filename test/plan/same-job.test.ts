// Which existing overlay scripts already do the job of the ones create-release writes (kept, not
// a conflict): the same release started the same way, whatever the comments, blank lines,
// `set` flags, quoting or line endings; anything that behaves differently is not.
import { describe, expect, it } from 'vitest';
import { doesSameJob, type ScriptJob } from '../../src/same-job.js';

const server: ScriptJob = { shell: 'sh', release: 'shop', command: 'start', env: [{ name: 'PHX_SERVER', value: 'true' }] };
const migrate: ScriptJob = { shell: 'sh', release: 'shop', command: 'eval', expr: 'Shop.Release.migrate', env: [] };
const serverBat: ScriptJob = { ...server, shell: 'bat' };
const migrateBat: ScriptJob = { ...migrate, shell: 'bat' };

const ours = '#!/bin/sh\nset -eu\n\ncd -P -- "$(dirname -- "$0")"\nPHX_SERVER=true exec ./shop start\n';

describe('a POSIX script does the same job', () => {
  it.each([
    ['ours', ours],
    ["phx.gen.release's (export on its own line)", '#!/bin/sh\ncd -P -- "$(dirname -- "$0")"\nexport PHX_SERVER=true\nexec ./shop start\n'],
    ['bash, comments, CRLF and pipefail', '#!/usr/bin/env bash\r\n# start the web server\r\nset -euo pipefail\r\ncd -P -- "$(dirname -- "$0")"\r\nPHX_SERVER="true" exec ./shop start\r\n'],
    ['the short cd forms', '#!/bin/dash\ncd "$(dirname "$0")"\nPHX_SERVER=\'true\' exec ./shop "start"\n'],
    ['/usr/bin/sh with set -x', '#!/usr/bin/sh\nset -x\ncd -- "$(dirname -- "$0")"\nexport PHX_SERVER=true\nexec ./shop start\n'],
  ])('%s', (_name, text) => {
    expect(doesSameJob(server, text)).toBe(true);
  });

  it('migrate through eval', () => {
    expect(doesSameJob(migrate, '#!/bin/sh\ncd -P -- "$(dirname -- "$0")"\nexec ./shop eval Shop.Release.migrate\n')).toBe(true);
  });
});

describe('a POSIX script does something else', () => {
  it.each([
    ['no shebang', ours.replace('#!/bin/sh\n', '')],
    ['a zsh shebang', ours.replace('#!/bin/sh', '#!/bin/zsh')],
    ['no cd to its directory', '#!/bin/sh\nPHX_SERVER=true exec ./shop start\n'],
    ['cd elsewhere', ours.replace('cd -P -- "$(dirname -- "$0")"', 'cd /app')],
    ['no exec (SIGTERM would stop the shell, not the VM)', ours.replace('exec ./shop', './shop')],
    ['another release', ours.replace('./shop', './admin')],
    ['the release found on PATH', ours.replace('./shop', 'shop')],
    ['another command', ours.replace('start', 'daemon')],
    ['an extra argument', ours.replace('start\n', 'start --verbose\n')],
    ['no PHX_SERVER', ours.replace('PHX_SERVER=true ', '')],
    ['another value', ours.replace('PHX_SERVER=true', 'PHX_SERVER=false')],
    ['an extra variable', ours.replace('PHX_SERVER=true ', 'PHX_SERVER=true POOL=2 ')],
    ['a variable set without export (the release would not see it)', '#!/bin/sh\ncd -P -- "$(dirname -- "$0")"\nPHX_SERVER=true\nexec ./shop start\n'],
    ['a command between', '#!/bin/sh\ncd -P -- "$(dirname -- "$0")"\n./shop eval Shop.Release.migrate\nPHX_SERVER=true exec ./shop start\n'],
    ['only a shebang and cd', '#!/bin/sh\ncd -P -- "$(dirname -- "$0")"\n'],
    ['empty', ''],
  ])('%s', (_name, text) => {
    expect(doesSameJob(server, text)).toBe(false);
  });

  it('migrate with another expression, or none', () => {
    expect(doesSameJob(migrate, '#!/bin/sh\ncd -P -- "$(dirname -- "$0")"\nexec ./shop eval Shop.Release.rollback\n')).toBe(false);
    expect(doesSameJob(migrate, '#!/bin/sh\ncd -P -- "$(dirname -- "$0")"\nexec ./shop eval\n')).toBe(false);
  });
});

describe('a batch file', () => {
  it.each([
    ['ours', 'set PHX_SERVER=true\r\ncall "%~dp0\\shop" start\r\n'],
    ["phx.gen.release's", '@echo off\r\nset PHX_SERVER=true\r\ncall "%~dp0\\shop" start\r\n'],
    ['quoted set, rem and :: comments, a doubled backslash, upper case', 'ECHO OFF\r\nREM start\r\n:: web\r\nSET "PHX_SERVER=true"\r\nCALL "%~dp0\\\\shop" start\r\n'],
  ])('does the same job: %s', (_name, text) => {
    expect(doesSameJob(serverBat, text)).toBe(true);
  });

  it.each([
    ['no PHX_SERVER', 'call "%~dp0\\shop" start\r\n'],
    ['another release', 'set PHX_SERVER=true\r\ncall "%~dp0\\admin" start\r\n'],
    ['no call', 'set PHX_SERVER=true\r\n"%~dp0\\shop" start\r\n'],
    ['a command between', 'set PHX_SERVER=true\r\ncd ..\r\ncall "%~dp0\\shop" start\r\n'],
    ['a remark without a space', 'remark\r\nset PHX_SERVER=true\r\ncall "%~dp0\\shop" start\r\n'],
    ['empty', ''],
  ])('does something else: %s', (_name, text) => {
    expect(doesSameJob(serverBat, text)).toBe(false);
  });

  it('migrate through eval', () => {
    expect(doesSameJob(migrateBat, 'call "%~dp0\\shop" eval Shop.Release.migrate\r\n')).toBe(true);
    expect(doesSameJob(migrateBat, 'call "%~dp0\\shop"   eval   Shop.Release.migrate\r\n')).toBe(true);
    expect(doesSameJob(migrateBat, 'call "%~dp0\\shop" eval Other.migrate\r\n')).toBe(false);
  });
});
