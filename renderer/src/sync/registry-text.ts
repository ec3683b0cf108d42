import type { RegistryMessage } from '../../../electron/api';
import { engineText } from './engine-text';

/** A registry answer's message as the screen shows it: DoseDesk's own codes translated, the registry's words as it wrote them. */
export function registryMessageText(m: Pick<RegistryMessage, 'code' | 'text' | 'params'>): string {
  return engineText({ code: m.code, message: m.text, params: m.params });
}
