import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

// Writes each received HL7 message to its own file, in arrival order, for inspection or replay.

export class MessageRecorder {
  private seq = 0;
  private ready: Promise<unknown> | undefined;

  constructor(readonly dir: string) {}

  async record(hl7: string, controlId: string): Promise<string> {
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    this.seq++;
    const safeId = (controlId || 'no-control-id').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
    const file = path.join(this.dir, `${String(this.seq).padStart(6, '0')}-${safeId}.hl7`);
    await writeFile(file, hl7, 'utf8');
    return file;
  }
}
