import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Command, CommanderError } from 'commander';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { UsageError } from './exit-codes.js';
import { applyFlags, listeningLine, parseLatencyFlag, registerSimulateCommand, startFromOptions } from './simulate.js';

const silent = pino({ level: 'silent' });
let folder = '';

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'simulate-test-'));
});

afterAll(() => rm(folder, { recursive: true, force: true }));

/** Parses arguments as main does: commander errors and usage errors reject instead of exiting. */
async function parseFailure(args: string[]): Promise<{ error: unknown; stderr: string }> {
  let stderr = '';
  const program = new Command('llm-monitor').exitOverride().configureOutput({ writeErr: (text) => (stderr += text) });
  registerSimulateCommand(program);
  for (const command of program.commands) command.exitOverride();

  const error = await program.parseAsync(['simulate', ...args], { from: 'user' }).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  return { error, stderr };
}

describe('simulate flags', () => {
  const invalid = [
    { args: ['--error-rate', '2'], message: "option '--error-rate <rate>' argument '2' is invalid. must be a number from 0 to 1." },
    { args: ['--error-rate', '0.1', '--error-status', '200'], message: "option '--error-status <status>' argument '200' is invalid" },
    { args: ['--latency', 'fast'], message: "option '--latency <duration>' argument 'fast' is invalid. must be a duration such as 200ms" },
    { args: ['--latency', '300ms-100ms'], message: 'the range starts at 300ms, after its end 100ms.' },
    { args: ['--fault', 'explode'], message: "option '--fault <kind>' argument 'explode' is invalid. Allowed choices are malformed" },
    { args: ['--port', '70000'], message: "option '--port <port>' argument '70000' is invalid" },
  ];

  it.each(invalid)('rejects $args naming the flag', async ({ args, message }) => {
    const { error, stderr } = await parseFailure(args);

    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).not.toBe(0);
    expect(stderr).toContain(message);
  });

  it('rejects --error-status without --error-rate', async () => {
    const { error } = await parseFailure(['--port', '0', '--error-status', '503']);

    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('--error-status needs --error-rate, the share of requests that get the error');
  });

  it('rejects an invalid scenario file naming the file and field', async () => {
    const path = join(folder, 'invalid.yaml');
    await writeFile(path, 'errors:\n  rate: 0.5\n  status: 700\n');

    const { error } = await parseFailure(['--port', '0', '--scenario', path]);

    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(`${path}: errors.status: must be an HTTP error status from 400 to 599, got 700`);
  });

  it('rejects a missing scenario file', async () => {
    const path = join(folder, 'missing.yaml');

    const { error } = await parseFailure(['--port', '0', '--scenario', path]);

    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(new RegExp(`^cannot read scenario file ${path}: ENOENT`));
  });

  it('parses a latency range', () => {
    expect(parseLatencyFlag('100ms-300ms')).toEqual({ min: '100ms', max: '300ms' });
    expect(parseLatencyFlag('200ms')).toBe('200ms');
  });

  it('replaces the scenario globals with the flags', () => {
    const scenario = applyFlags(
      { reply: 'file', errors: { rate: 1, status: 429 }, rules: [{ reply: 'rule' }] },
      { errorRate: 0.2, errorStatus: 503, fault: 'reset', reply: 'flag', latency: '5ms' },
    );

    expect(scenario).toEqual({
      reply: 'flag',
      latency: '5ms',
      errors: { rate: 0.2, status: 503 },
      faults: { kind: 'reset', rate: 1 },
      rules: [{ reply: 'rule' }],
    });
  });
});

describe('simulate server', () => {
  it('serves the scenario file with the flags applied', async () => {
    const path = join(folder, 'drill.yaml');
    await writeFile(path, 'reply: from file\nrules:\n  - match: {prompt: rule}\n    reply: from rule\n');

    const simulator = await startFromOptions(
      { port: 0, host: '127.0.0.1', scenario: path, errorRate: 0.5, errorStatus: 503, logLevel: 'silent' },
      silent,
    );
    const ask = async (prompt: string): Promise<[number, string]> => {
      const response = await fetch(`${simulator.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: prompt }] }),
      });
      return [response.status, await response.text()];
    };

    const answers = [await ask('hello'), await ask('hello'), await ask('rule')];
    await simulator.close();

    expect(answers[0]?.[0]).toBe(200);
    expect(answers[0]?.[1]).toContain('from file');
    expect(answers[1]?.[0]).toBe(503);
    expect(answers[2]?.[1]).toContain('from rule');
  });

  it('reports a port in use as a usage error', async () => {
    const first = await startFromOptions({ port: 0, host: '127.0.0.1', logLevel: 'silent' }, silent);

    const failure = await startFromOptions({ port: first.port, host: '127.0.0.1', logLevel: 'silent' }, silent).catch((error: unknown) => error);
    await first.close();

    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toMatch(new RegExp(`^cannot listen on 127.0.0.1:${first.port}: .*EADDRINUSE`));
  });

  it('names the base URL for each SDK', () => {
    expect(listeningLine('http://127.0.0.1:8080')).toBe(
      'simulator listening on http://127.0.0.1:8080 for OpenAI (baseURL http://127.0.0.1:8080/v1), Anthropic (baseURL http://127.0.0.1:8080) and Gemini (httpOptions.baseUrl http://127.0.0.1:8080)',
    );
  });
});
