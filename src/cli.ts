import pc from 'picocolors';
import { describeFailure, parseOptions, reportError, type ErrorSink } from './cli-options.js';
import { InterruptedError } from './errors.js';
import type { Io, Options } from './options.js';
import { preloadElixirParser } from './inspect/elixir-parser.js';
import { run } from './run.js';

declare const PACKAGE_VERSION: string;

async function main(): Promise<number> {
  // Every run parses mix.exs: compile the grammar while yargs reads argv.
  preloadElixirParser();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  // `create-release | head` closes the pipe early; the rest of the text has nowhere to go, and
  // that is no reason for a stack trace (the files are written before the report is printed).
  for (const stream of [process.stdout, process.stderr]) stream.on('error', ignoreClosedPipe);
  const stderr: ErrorSink = { write: (text) => process.stderr.write(text), debug: Boolean(process.env.DEBUG), color: pc.isColorSupported };
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2), { version: PACKAGE_VERSION, columns: process.stdout.columns || 0 });
  } catch (error) {
    return reportError(error, stderr);
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !options.yes && !options.json;
  const out = (text: string) =>
    (options.json ? process.stderr : process.stdout).write(text.endsWith('\n') ? text : `${text}\n`);
  const io: Io = {
    interactive,
    color: pc.isColorSupported && !options.json,
    env: process.env,
    cwd: process.cwd(),
    out,
    json: (text) => process.stdout.write(`${text}\n`),
    prompter: interactive ? await (await import('./prompter.js')).createInquirerPrompter(controller.signal, out) : undefined,
    signal: controller.signal,
  };
  try {
    await run(options, io);
    return 0;
  } catch (error) {
    const failure = controller.signal.aborted ? new InterruptedError() : error;
    const code = reportError(failure, stderr);
    // A --json caller reads stdout: it gets its one document even when the run stops.
    if (options.json) io.json(JSON.stringify({ error: describeFailure(failure, code) }, null, 2));
    return code;
  }
}

function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

process.exitCode = await main();
