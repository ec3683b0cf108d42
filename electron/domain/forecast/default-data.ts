// The supporting data shipped with the app (built by build/scripts/build-cdsi.ts).
import json from '../../../assets/cdsi/cdsi-supporting-data.json';
import type { CdsiSupportingData } from './supporting-data';

// The JSON's inferred type widens literal unions (series type, skip context) to string.
export const defaultSupportingData = json as unknown as CdsiSupportingData;
