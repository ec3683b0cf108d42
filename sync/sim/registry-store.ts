// What the simulated registry holds: doses keyed by (MSH-4, ORC-3) with RXA-21 applied, and
// every acknowledged MSH-10 so that a resend returns the same ACK and counts once.

export interface StoredDose {
  /** `MSH-4|ORC-3.1^ORC-3.2`. */
  key: string;
  facility: string;
  fillerOrderId: string;
  /** MSH-10 of the message that last wrote this dose. */
  controlId: string;
  patientId: string;
  patientName: string;
  birthDate: string;
  cvx: string;
  administeredAt: string;
  lot: string;
  mvx: string;
  /** The order group's segments as received, CR-separated. */
  segments: string;
  /** How many adds and updates have written this key. */
  version: number;
}

export interface StoreStats {
  /** Doses currently held. */
  held: number;
  adds: number;
  updates: number;
  deletes: number;
  /** An add for a dose already held, carried by a different MSH-10: the sender reported it twice. */
  duplicates: number;
  /** A delete or update of a dose the registry does not hold. */
  unknownKeys: number;
}

export type ApplyResult = 'added' | 'updated' | 'deleted' | 'duplicate' | 'unknown_delete';

export class RegistryStore {
  private readonly doses = new Map<string, StoredDose>();
  private readonly acks = new Map<string, { ack: string; message: string }>();
  private readonly s: Omit<StoreStats, 'held'> = { adds: 0, updates: 0, deletes: 0, duplicates: 0, unknownKeys: 0 };

  /** The ACK already sent for this (MSH-4, MSH-10) and the message it answered, if any. */
  ackFor(facility: string, controlId: string): { ack: string; message: string } | undefined {
    return this.acks.get(`${facility}|${controlId}`);
  }

  rememberAck(facility: string, controlId: string, ack: string, message: string): void {
    this.acks.set(`${facility}|${controlId}`, { ack, message });
  }

  holds(key: string): boolean {
    return this.doses.has(key);
  }

  apply(action: 'A' | 'U' | 'D', dose: Omit<StoredDose, 'version'>): ApplyResult {
    const existing = this.doses.get(dose.key);
    if (action === 'D') {
      if (!existing) {
        this.s.unknownKeys++;
        return 'unknown_delete';
      }
      this.doses.delete(dose.key);
      this.s.deletes++;
      return 'deleted';
    }
    const version = (existing?.version ?? 0) + 1;
    this.doses.set(dose.key, { ...dose, version });
    if (action === 'U') {
      if (existing) this.s.updates++;
      else {
        // Registries treat an update of an unknown dose as an add (unless the cranberry quirk).
        this.s.unknownKeys++;
        this.s.adds++;
      }
      return 'updated';
    }
    if (existing && existing.controlId !== dose.controlId) {
      this.s.duplicates++;
      return 'duplicate';
    }
    this.s.adds++;
    return 'added';
  }

  all(): StoredDose[] {
    return [...this.doses.values()].map((d) => ({ ...d }));
  }

  stats(): StoreStats {
    return { held: this.doses.size, ...this.s };
  }

  clear(): void {
    this.doses.clear();
    this.acks.clear();
    Object.assign(this.s, { adds: 0, updates: 0, deletes: 0, duplicates: 0, unknownKeys: 0 });
  }
}
