import type { Api } from '../../electron/api';

declare global {
  interface Window {
    /** Installed by the preload (or the e2e harness); the renderer's only door to main. */
    dosedesk: Api;
  }
}
