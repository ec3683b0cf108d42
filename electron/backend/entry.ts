import type { FromBackend } from './protocol';
import { createBackendHost } from './host';

// The backend process entry, bundled to dist-electron/backend.cjs. In the app, Electron starts
// it with utilityProcess.fork and it talks over `process.parentPort`; tests and benches start
// the same file with child_process.fork and talk over Node's IPC channel. Nothing here imports
// electron: the parent port is a property Electron puts on `process`.

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

function send(message: FromBackend): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

const receive = createBackendHost({ send, exit: (code) => setImmediate(() => process.exit(code)) });
if (parentPort) parentPort.on('message', (e) => receive(e.data));
else if (process.send) process.on('message', receive);
else {
  console.error('The DoseDesk backend runs as a child of the app; it has no parent to talk to.');
  process.exit(2);
}
// The parent went away without a stop (a crash of main): nothing may keep the database open.
process.on('disconnect', () => process.exit(0));
