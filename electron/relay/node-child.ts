import { fork, type ChildProcess } from 'node:child_process';
import type { BackendChild } from './relay';

// The backend as a plain Node child (tests, benches, the e2e harness): the same entry file the
// app starts with utilityProcess.fork, over Node's IPC channel with structured clone, as
// Electron's MessagePort uses.

export interface NodeChildOptions {
  /** A bundled .cjs runs as is; a .ts entry needs the tsx loader (`['--import', 'tsx']`). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Called with the process once started (tests SIGSTOP or SIGKILL it). */
  onSpawn?: (child: ChildProcess) => void;
}

export function nodeBackendChild(entry: string, options: NodeChildOptions = {}): BackendChild {
  const child = fork(entry, [], { execArgv: options.execArgv ?? [], env: options.env ?? process.env, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  options.onSpawn?.(child);
  return {
    send: (message) => {
      if (child.connected) child.send(message as never);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
