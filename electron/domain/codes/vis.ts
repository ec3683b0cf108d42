// VIS editions (CDC vis.txt / cvx_vis.txt / vis_url.txt) by CVX and by GS1 string.
import visTable from '../../../assets/code-tables/vis.json';
import { deepFreeze, normalizeCvxCode, once } from './internal';
import type { VisEdition, VisStatus } from './types';

const visIndex = once(() => {
  const editionByString = new Map<string, VisEdition>();
  for (const r of visTable.rows) {
    const edition: VisEdition = {
      documentType: r.documentType,
      editionDate: r.editionDate,
      encodedString: r.encodedString,
      status: r.status as VisStatus,
    };
    if (r.pdfUrl) edition.pdfUrl = r.pdfUrl;
    editionByString.set(r.encodedString, deepFreeze(edition));
  }
  const byCvx = new Map<string, VisEdition[]>();
  for (const r of visTable.cvxVis) {
    const known = editionByString.get(r.encodedString);
    const edition =
      known ??
      deepFreeze<VisEdition>({
        documentType: r.documentType,
        editionDate: r.editionDate,
        encodedString: r.encodedString,
        status: r.status as VisStatus,
      });
    const list = byCvx.get(r.cvx) ?? [];
    if (!list.some((e) => e.encodedString === edition.encodedString)) list.push(edition);
    byCvx.set(r.cvx, list);
  }
  for (const [key, list] of byCvx) {
    list.sort(
      (a, b) =>
        Number(b.status === 'Current') - Number(a.status === 'Current') ||
        b.editionDate.localeCompare(a.editionDate) ||
        a.documentType.localeCompare(b.documentType),
    );
    byCvx.set(key, Object.freeze(list) as VisEdition[]);
  }
  return { editionByString, byCvx };
});

/** Every VIS edition CDC maps to a CVX: current first, then newest edition first. */
export function visForCvx(code: string): readonly VisEdition[] {
  return visIndex().byCvx.get(normalizeCvxCode(code)) ?? [];
}

/** The current VIS for a CVX; a combination vaccine can have several (one per component, plus
 * the Multiple Pediatric Vaccines VIS). */
export function currentVisForCvx(code: string): VisEdition[] {
  return visForCvx(code).filter((e) => e.status === 'Current');
}

/** A VIS edition by its 24-digit GS1 string (what a VIS barcode or OBX 69764-9 carries). */
export function visByEncodedString(encoded: string): VisEdition | undefined {
  return visIndex().editionByString.get(encoded.trim());
}
