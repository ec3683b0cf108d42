import type { EndpointSettings } from '../../sync/transport/settings';
import type { ConnectionCheck, RegistryTransport, SubmitOptions, SubmitOutcome } from '../../sync/transport/types';

// The production registry connection, built once per configuration. Each send asks for the
// transport; as long as the registry settings and the stored (still encrypted) credentials are
// the same, it gets the same one: credentials are decrypted once and keep-alive connections are
// reused. When the configuration changes, the old transport is retired and closes its
// connections as soon as the sends still using it have finished.

/** A transport that may hold pooled connections (SoapTransport's keep-alive agents). */
export interface DisposableTransport extends RegistryTransport {
  dispose?(): void;
}

export interface ProductionTransportParts {
  /**
   * What identifies the configuration, read without decrypting anything (settings values and
   * the stored ciphertext). Equal keys mean the transport in use is still right.
   */
  configurationKey(): string;
  /** The endpoint with decrypted credentials; throws when production is not configured. */
  endpoint(): EndpointSettings;
  make(endpoint: EndpointSettings): DisposableTransport;
  logError(context: string, err: unknown): void;
}

export class ProductionTransport {
  private current?: { key: string; lease: TransportLease };
  private closed = false;

  constructor(private readonly parts: ProductionTransportParts) {}

  /** The transport for the configuration as it is now, or undefined when it is incomplete. */
  get(): RegistryTransport | undefined {
    if (this.closed) return undefined;
    let key: string;
    try {
      key = this.parts.configurationKey();
    } catch (err) {
      this.parts.logError('reading the production registry settings', err);
      return undefined;
    }
    if (this.current?.key === key) return this.current.lease;
    this.retire();
    try {
      const lease = new TransportLease(this.parts.make(this.parts.endpoint()));
      this.current = { key, lease };
      return lease;
    } catch (err) {
      // Not configured, or the keychain cannot decrypt: the engine pauses with "needs
      // configuration"; a failure is not cached, so the next attempt tries again.
      this.parts.logError('building the production transport', err);
      return undefined;
    }
  }

  /** Reporting stopped: nothing is handed out any more and the connections close. */
  close(): void {
    this.closed = true;
    this.retire();
  }

  private retire(): void {
    const previous = this.current;
    this.current = undefined;
    previous?.lease.retire();
  }
}

/** Counts the calls in progress so that a retired transport closes only after they finish. */
class TransportLease implements RegistryTransport {
  private active = 0;
  private retired = false;
  private disposed = false;

  constructor(private readonly inner: DisposableTransport) {}

  submit(hl7: string, opts?: SubmitOptions): Promise<SubmitOutcome> {
    return this.use(() => this.inner.submit(hl7, opts));
  }

  checkConnection(): Promise<ConnectionCheck> {
    return this.use(() => this.inner.checkConnection());
  }

  retire(): void {
    this.retired = true;
    this.disposeWhenIdle();
  }

  private async use<T>(call: () => Promise<T>): Promise<T> {
    this.active += 1;
    try {
      return await call();
    } finally {
      this.active -= 1;
      this.disposeWhenIdle();
    }
  }

  private disposeWhenIdle(): void {
    if (!this.retired || this.active > 0 || this.disposed) return;
    this.disposed = true;
    this.inner.dispose?.();
  }
}
