import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { basename, delimiter, isAbsolute, join } from 'node:path';

/** How a command ended when it did not succeed. */
export type CommandErrorCode = 'COMMAND_FAILED' | 'COMMAND_TIMEOUT' | 'COMMAND_CANCELLED' | 'COMMAND_NOT_FOUND';

interface CommandErrorFields {
  argv: readonly string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
  /** Tool-specific facts (Terraform diagnostics, Ansible failed tasks) gathered from the output. */
  details?: Record<string, unknown>;
}

/**
 * An external program failed. Carries the argv (never a shell string), exit code, signal and the tail
 * of stderr, so the job record says exactly what ran and why it stopped.
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
  readonly details: Record<string, unknown>;

  private constructor(
    readonly code: CommandErrorCode,
    message: string,
    fields: CommandErrorFields,
  ) {
    super(message);
    this.argv = fields.argv;
    this.exitCode = fields.exitCode;
    this.signal = fields.signal;
    this.stderrTail = fields.stderrTail;
    this.details = fields.details ?? {};
  }

  static failed(fields: CommandErrorFields, summary?: string): CommandError {
    const why = summary ?? (fields.stderrTail.trim().split('\n').at(-1) || 'no output on stderr');
    return new CommandError(
      'COMMAND_FAILED',
      `${tool(fields.argv)} exited with ${fields.exitCode ?? fields.signal}: ${why}. See the job log for the full output.`,
      fields,
    );
  }

  static timedOut(fields: CommandErrorFields, timeoutMs: number): CommandError {
    return new CommandError(
      'COMMAND_TIMEOUT',
      `${tool(fields.argv)} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped; raise the step timeout or check the target.`,
      fields,
    );
  }

  static cancelled(fields: CommandErrorFields): CommandError {
    return new CommandError('COMMAND_CANCELLED', `${tool(fields.argv)} was cancelled on request.`, fields);
  }

  static notFound(binary: string, path: string): CommandError {
    return new CommandError(
      'COMMAND_NOT_FOUND',
      `${binary} was not found on PATH (${path || 'empty'}); install it or set its absolute path in the configuration.`,
      { argv: [binary], exitCode: null, signal: null, stderrTail: '' },
    );
  }

  /** With the extra details merged in (the caller parsed the output after the fact). */
  withDetails(details: Record<string, unknown>, summary?: string): CommandError {
    const fields = { argv: this.argv, exitCode: this.exitCode, signal: this.signal, stderrTail: this.stderrTail };
    const merged = { ...fields, details: { ...this.details, ...details } };
    if (this.code === 'COMMAND_FAILED' && summary) return CommandError.failed(merged, summary);
    return new CommandError(this.code, this.message, merged);
  }
}

const tool = (argv: readonly string[]) => basename(argv[0] ?? 'command');

export interface RunCommandOptions {
  cwd: string;
  /** The complete environment of the child: nothing is inherited implicitly. */
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Stop the command after this long (SIGINT, then SIGKILL after graceMs). */
  timeoutMs?: number;
  /** Time between SIGINT and SIGKILL. Terraform needs it to release its state lock. */
  graceMs?: number;
  /** Called for each complete stdout line (without the newline). */
  onStdoutLine?: (line: string) => void;
  /** Bytes of stderr kept for the error. */
  stderrTailBytes?: number;
}

export interface CommandResult {
  exitCode: number;
  stderrTail: string;
}

const DEFAULT_GRACE_MS = 30_000;
const DEFAULT_TAIL = 8 * 1024;

/**
 * Run argv[0] with argv[1..] (no shell), stream stdout line by line, keep the tail of stderr.
 * Resolves on exit code 0; rejects with a CommandError otherwise. Cancellation and timeouts send
 * SIGINT first so the tool can clean up (Terraform unlocks its state), and SIGKILL to the whole
 * process group after the grace period.
 */
export function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new TypeError('runCommand needs a non-empty argv'));
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const tailBytes = options.stderrTailBytes ?? DEFAULT_TAIL;

  return new Promise((resolve, reject) => {
    let stopping: 'cancel' | 'timeout' | null = null;
    let stderr = '';
    let pending = '';
    let killTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;

    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so SIGKILL also reaches provider plugins and SSH children.
      detached: true,
    });

    const fields = (exitCode: number | null, signal: NodeJS.Signals | null): CommandErrorFields => ({
      argv,
      exitCode,
      signal,
      stderrTail: stderr,
    });

    const stop = (why: 'cancel' | 'timeout') => {
      if (stopping || child.exitCode !== null || child.signalCode !== null) return;
      stopping = why;
      child.kill('SIGINT');
      killTimer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, graceMs);
    };

    const onAbort = () => stop('cancel');
    if (options.signal?.aborted) queueMicrotask(onAbort);
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) timeoutTimer = setTimeout(() => stop('timeout'), options.timeoutMs);

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        options.onStdoutLine?.(line);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-tailBytes);
    });

    const cleanup = () => {
      clearTimeout(killTimer);
      clearTimeout(timeoutTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      if (err.code === 'ENOENT') reject(CommandError.notFound(file, options.env.PATH ?? ''));
      else reject(CommandError.failed(fields(null, null), err.message));
    });

    child.on('close', (code, signal) => {
      cleanup();
      if (pending) options.onStdoutLine?.(pending);
      pending = '';
      if (stopping === 'cancel') reject(CommandError.cancelled(fields(code, signal)));
      else if (stopping === 'timeout') reject(CommandError.timedOut(fields(code, signal), options.timeoutMs ?? 0));
      else if (code === 0) resolve({ exitCode: 0, stderrTail: stderr });
      else reject(CommandError.failed(fields(code, signal)));
    });
  });
}

/** Resolve a binary name against PATH (as execvp would), so a missing tool fails before any work starts. */
export async function findOnPath(binary: string, path: string | undefined): Promise<string> {
  if (isAbsolute(binary) || binary.includes('/')) {
    await access(binary, constants.X_OK).catch(() => {
      throw CommandError.notFound(binary, path ?? '');
    });
    return binary;
  }
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, binary);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next directory
    }
  }
  throw CommandError.notFound(binary, path ?? '');
}
