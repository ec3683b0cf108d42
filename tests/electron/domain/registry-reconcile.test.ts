import { reconcile, registryDoseKey, type RegistryDoseForMatch } from '../../../electron/domain/registry-reconcile';

const reg = (cvx: string, on: string, extra: Partial<RegistryDoseForMatch> = {}): RegistryDoseForMatch => ({ cvx, administeredOn: on, reportingFacility: 'PEDS', ...extra });

describe('reconciling the MIIS history with ours', () => {
  it('a dose we reported comes back with our own id: matched, whatever its date says', () => {
    const rows = reconcile([reg('150', '2026-10-30', { orderId: { id: 'D1', namespace: 'DoseDesk' } })], [{ id: 'D1', cvx: '150', date: '2026-11-01' }]);
    expect(rows).toEqual([expect.objectContaining({ kind: 'matched', localId: 'D1', reason: 'own_id' })]);
  });

  it('a dose imported before is matched by its registry key, so a re-query imports nothing', () => {
    const d = reg('03', '1980-06-20');
    const rows = reconcile([d], [{ id: 'IMP1', cvx: '03', date: '1980-06-20', registryKey: registryDoseKey(d) }]);
    expect(rows).toEqual([expect.objectContaining({ kind: 'matched', reason: 'imported' })]);
  });

  it('same vaccine group on the same day matches a combination recorded by brand elsewhere', () => {
    // 110 (DTaP-HepB-IPV) here, 08 (HepB) at the registry on the same day.
    const rows = reconcile([reg('08', '2020-02-01')], [{ id: 'L1', cvx: '110', date: '2020-02-01' }]);
    expect(rows).toEqual([expect.objectContaining({ kind: 'matched', reason: 'same_group_same_day', localId: 'L1' })]);
  });

  it('same CVX within 3 days matches; 4 days apart of the same group is only a near match for a person', () => {
    expect(reconcile([reg('115', '2019-03-05')], [{ id: 'L1', cvx: '115', date: '2019-03-02' }])[0]).toMatchObject({ kind: 'matched', reason: 'same_cvx_near_date' });
    expect(reconcile([reg('115', '2019-03-06')], [{ id: 'L1', cvx: '115', date: '2019-03-02' }])).toEqual([expect.objectContaining({ kind: 'near', localId: 'L1', daysApart: 4 })]);
  });

  it('more than 14 days apart, or another vaccine group: new to us, and our dose stays ours alone', () => {
    const rows = reconcile([reg('115', '2019-04-01'), reg('03', '2019-03-02')], [{ id: 'L1', cvx: '115', date: '2019-03-02' }]);
    expect(rows.map((r) => r.kind)).toEqual(['registry_only', 'registry_only', 'local_only']);
  });

  it('one local dose matches one registry dose only: a second registry record of it is a near match, never a silent import', () => {
    const rows = reconcile([reg('03', '2020-01-01'), reg('03', '2020-01-01', { reportingFacility: 'OTHER' })], [{ id: 'L1', cvx: '03', date: '2020-01-01' }]);
    expect(rows.map((r) => r.kind)).toEqual(['matched', 'near']);
  });

  it('a fuzzy rule never takes the dose another registry dose names by id', () => {
    const rows = reconcile([reg('03', '2020-01-01'), reg('03', '2020-01-02', { orderId: { id: 'L1', namespace: 'DoseDesk' } })], [{ id: 'L1', cvx: '03', date: '2020-01-01' }]);
    expect(rows[1]).toMatchObject({ kind: 'matched', reason: 'own_id' });
    expect(rows[0]).toMatchObject({ kind: 'near' });
  });
});
