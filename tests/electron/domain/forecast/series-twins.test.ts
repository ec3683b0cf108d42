// Tetanus reuses the diphtheria evaluation when the patient's history cannot tell the two
// series apart. The answer must be the one a separate evaluation gives: compare with data in
// which the twin link is broken by a field the logic never reads.
import { describe, expect, it } from 'vitest';
import { defaultSupportingData, evaluateAndForecast } from '../../../../electron/domain/forecast';
import type { CdsiSupportingData } from '../../../../electron/domain/forecast';
import { compileModel } from '../../../../electron/domain/forecast/model';
import { POPULATION_ASSESSMENT, syntheticPatient } from './synthetic-population';

function withoutTwins(): CdsiSupportingData {
  const copy = structuredClone(defaultSupportingData);
  for (const name of ['Tetanus', 'Mumps', 'Rubella']) {
    for (const s of copy.antigens[name]?.series ?? []) s.seriesGroupName = `${s.seriesGroupName} (separate)`;
  }
  return copy;
}

describe('twin series', () => {
  it('links tetanus to diphtheria and the MMR antigens to each other, naming the CVX codes that differ', () => {
    const twins = [...compileModel(defaultSupportingData).antigens.values()].flatMap((a) => a.series.filter((s) => s.twin));
    const tetanus = twins.find((s) => s.name === 'Tetanus standard series');
    expect(tetanus?.twin?.of.name).toBe('Diphtheria standard series');
    expect([...(tetanus?.twin?.differingCvx ?? [])]).toEqual(['35']);
    expect(twins.some((s) => s.antigen === 'Mumps')).toBe(true);
    const separate = [...compileModel(withoutTwins()).antigens.values()].flatMap((a) => a.series.filter((s) => s.twin && s.antigen === 'Tetanus'));
    expect(separate).toEqual([]);
  });

  it('gives the same evaluations and forecasts as evaluating each antigen separately', () => {
    const separate = withoutTwins();
    for (let i = 0; i < 250; i++) {
      const p = syntheticPatient(i);
      const shared = evaluateAndForecast(p, POPULATION_ASSESSMENT);
      const alone = evaluateAndForecast(p, POPULATION_ASSESSMENT, separate);
      expect(shared.evaluations, p.id).toEqual(alone.evaluations);
      expect(shared.forecasts, p.id).toEqual(alone.forecasts);
    }
  });
});
