import { spawnSync } from 'node:child_process';

export interface CommandOptions {
  readonly cwd: string;
  /** The whole environment of the command (not merged with this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** @default 120_000 */
  readonly timeoutMs?: number;
}

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion and returns its exit status and output, whatever they are. */
export function tryCommand(command: string, args: readonly string[], options: CommandOptions): CommandResult {
  const run = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const stderr = run.error ? `${run.stderr ?? ''}\n${run.error.message}` : (run.stderr ?? '');
  return { status: run.status, stdout: run.stdout ?? '', stderr };
}

/**
 * Runs a command and throws when it fails, with the command line and the end of its output in
 * the message: a failing test then says what went wrong without a rerun.
 */
export function runCommand(command: string, args: readonly string[], options: CommandOptions): CommandResult {
  const result = tryCommand(command, args, options);
  if (result.status !== 0) {
    throw new Error(
      `\`${[command, ...args].join(' ')}\` in ${options.cwd} exited with ${result.status}\n` +
        `--- stdout (end) ---\n${tail(result.stdout)}\n--- stderr (end) ---\n${tail(result.stderr)}`,
    );
  }
  return result;
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
