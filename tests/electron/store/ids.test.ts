import { newControlId, newRecordId } from '../../../electron/store/ids';

describe('ids', () => {
  it('makes 20-character Crockford base32 control ids that are unique and sort by time', () => {
    const at = new Date('2026-11-25T15:00:00Z');
    const ids = Array.from({ length: 2000 }, () => newControlId(at));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
    expect(newControlId(new Date(at.getTime() + 1)) > newControlId(at)).toBe(true);
  });

  it('makes version 7 UUIDs whose prefix follows the clock', () => {
    const a = newRecordId(new Date('2026-11-25T15:00:00Z'));
    const b = newRecordId(new Date('2026-11-25T15:00:01Z'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.slice(0, 13) < b.slice(0, 13)).toBe(true);
    expect(parseInt(a.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-11-25T15:00:00Z'));
  });
});
