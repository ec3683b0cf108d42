import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { WorkQueueItem } from '../../../electron/api';
import { setLocale } from '../../../renderer/i18n';
import { engineText } from '../../../renderer/src/sync/engine-text';
import { SyncBar } from '../../../renderer/src/sync/SyncBar';
import { SyncProvider } from '../../../renderer/src/sync/SyncContext';
import { WorkQueue } from '../../../renderer/src/sync/WorkQueue';
import { classifyHttpAnswer } from '../../../sync/transport/classify';
import { storeProblem } from '../../../sync/engine/store-trouble';
import { StoreError } from '../../../electron/store/errors';
import { installFakeApi, ok, queuePage, STATUS } from '../fake-api';

// What the engine and the transport say reaches a Spanish or Portuguese screen in that
// language: the status bar and the work queue render the message code, not the English text.

afterEach(() => setLocale('en'));

const portal = classifyHttpAnswer({ status: 302, contentType: 'text/html', body: '', location: 'https://wifi.hotel.example/login', problem: 'no SOAP' }, 'https://miis.example/soap', 'miis.example');
if (portal.kind !== 'retry') throw new Error('a captive portal is retried');

describe('engine messages in the person’s language', () => {
  it('shows a Spanish status bar with the captive-portal message in Spanish, naming the host', async () => {
    setLocale('es');
    installFakeApi({
      'sync.status': () => ok({ ...STATUS, state: 'needs_attention', pending: 2, problem: { code: portal.code, message: portal.reason, ...(portal.params ? { params: portal.params } : {}) } }),
    });
    render(
      <SyncProvider>
        <SyncBar />
      </SyncProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('La solicitud al registro en miis.example recibió una página de inicio de sesión de la red (HTTP 302)');
    expect(alert).toHaveTextContent('inicie sesión en la red');
    expect(alert).not.toHaveTextContent(portal.reason.slice(0, 30));
    expect(screen.getByTestId('sync-state')).toHaveTextContent('Requiere atención');
  });

  it('shows "reporting stopped: the disk is full" in Portuguese', async () => {
    setLocale('pt');
    const p = storeProblem(new StoreError('disk_full', 'full', { code: 'SQLITE_FULL' }), '2026-11-25T15:00:00Z');
    installFakeApi({ 'sync.status': () => ok({ ...STATUS, state: 'stopped', pending: 1, problem: { code: p.code, message: p.message, ...(p.params ? { params: p.params } : {}) } }) });
    render(
      <SyncProvider>
        <SyncBar />
      </SyncProvider>,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('O envio parou: o disco está cheio');
    expect(screen.getByRole('alert')).toHaveTextContent('SQLITE_FULL');
    expect(screen.getByTestId('sync-state')).toHaveTextContent('Envio parado');
  });

  it('shows a Spanish work queue with the engine’s rejection and a bulk action’s reason in Spanish', async () => {
    setLocale('es');
    const built: WorkQueueItem = {
      seq: 7,
      doseId: 'd1',
      patientId: 'p1',
      patientName: 'Joana Oliveira',
      action: 'A',
      state: 'rejected',
      messages: [{ severity: 'error', code: 'build_failed', text: 'The message for this dose could not be built: RXA-5 is empty. Correct the record and save it again.', params: { detail: 'RXA-5 is empty.' } }],
      updatedAt: '2026-11-25T14:00:00Z',
    };
    const warned: WorkQueueItem = { ...built, seq: 8, state: 'warning', messages: [{ severity: 'warning', text: 'PID-11 address missing.' }] };
    installFakeApi({
      'sync.workQueue': () => ok(queuePage([built, warned])),
      'sync.acknowledge': () => ok({ acknowledged: [], skipped: [{ seq: 8, code: 'not_waiting', message: 'Report 8 is no longer waiting for acknowledgement.' }] }),
    });
    const user = userEvent.setup();
    render(
      <SyncProvider>
        <WorkQueue onFix={() => undefined} onOpen={() => undefined} />
      </SyncProvider>,
    );
    const table = await screen.findByTestId('work-queue');
    const row = table.querySelector('tr[data-seq="7"]') as HTMLElement;
    expect(row).toHaveTextContent('No se pudo preparar el mensaje de esta dosis: RXA-5 is empty. Corrija el registro de la dosis');
    expect(row).not.toHaveTextContent('could not be built');
    // The registry's own words stay as the registry wrote them.
    expect(table.querySelector('tr[data-seq="8"]')).toHaveTextContent('PID-11 address missing.');
    await user.click(within(table.querySelector('tr[data-seq="8"]') as HTMLElement).getByRole('button', { name: 'Marcar como vista' }));
    expect(await screen.findByText(/1 informe no se tocó: El informe 8 ya no está pendiente/)).toBeInTheDocument();
  });

  it('falls back to the English sentence for a code this build does not know, or one stored without its values', () => {
    setLocale('es');
    expect(engineText({ code: 'from_a_newer_version', message: 'English words.' })).toBe('English words.');
    expect(engineText({ code: 'captive_portal', message: 'Stored before values were kept.' })).toBe('Stored before values were kept.');
    expect(engineText({ message: 'No code at all.' })).toBe('No code at all.');
  });
});
