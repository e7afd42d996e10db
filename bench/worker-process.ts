/**
 * Runs a benchmark worker in its own Node process, so that the CPU time and
 * peak memory it reports belong to the pipeline alone. Parent and worker
 * talk over the IPC channel: the parent sends the input, the worker answers
 * with messages, the last of which has `type: 'result'`.
 */
import { fork } from 'node:child_process';

export interface WorkerMessage {
  type: string;
  [field: string]: unknown;
}

export interface WorkerHandle<R> {
  /** Resolves with the worker's result message, or rejects when it exits without one. */
  result: Promise<R>;
  /** Resolves with the first message of the given type. */
  next(type: string): Promise<WorkerMessage>;
  send(message: WorkerMessage): void;
  kill(): void;
}

export function startWorker<R>(script: string, input: unknown, options: { nodeArgs?: string[] } = {}): WorkerHandle<R> {
  const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: options.nodeArgs ?? [] });
  const waiting = new Map<string, (message: WorkerMessage) => void>();
  const early = new Map<string, WorkerMessage>();
  const result = new Promise<R>((resolve, reject) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'result') resolve(message as unknown as R);
      else if (message.type === 'error') reject(new Error(String(message['message'])));
      const waiter = waiting.get(message.type);
      if (waiter === undefined) early.set(message.type, message);
      else {
        waiting.delete(message.type);
        waiter(message);
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`worker ${script} exited (${code ?? signal}) without a result`)));
  });
  child.send({ type: 'input', input });
  return {
    result,
    next: (type) => {
      const seen = early.get(type);
      if (seen !== undefined) {
        early.delete(type);
        return Promise.resolve(seen);
      }
      return new Promise((resolve) => waiting.set(type, resolve));
    },
    send: (message) => child.send(message),
    kill: () => child.kill('SIGKILL'),
  };
}

/** In a worker: resolves with the input the parent sent. */
export function workerInput<I>(): Promise<I> {
  return new Promise((resolve) => {
    process.once('message', (message: WorkerMessage) => resolve(message['input'] as I));
  });
}

/** In a worker: resolves with the next message of the given type from the parent. */
export function parentMessage(type: string): Promise<WorkerMessage> {
  return new Promise((resolve) => {
    const listener = (message: WorkerMessage): void => {
      if (message.type !== type) return;
      process.off('message', listener);
      resolve(message);
    };
    process.on('message', listener);
  });
}

/** In a worker: sends the result, then exits once it is delivered. Errors become an error message. */
export function runWorker(main: () => Promise<Record<string, unknown>>): void {
  main().then(
    (result) => process.send?.({ type: 'result', ...result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ type: 'error', message: (error as Error).stack ?? String(error) }, () => process.exit(1)),
  );
}
