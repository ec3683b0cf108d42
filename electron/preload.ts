import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Api, ApiMethod, MethodName, SessionEvent, SyncEvent } from './api';
import { EVENT_CHANNELS, methodChannel } from './api/channels';

// The renderer's only door into the main process. It exposes exactly the contract's methods on
// `window.dosedesk`: no ipcRenderer, no generic invoke, no channel names chosen by the page.
// `satisfies Api` makes a missing or extra method a type error. The preload is sandboxed, so
// it is bundled (build/scripts/build-main.ts) and imports only types from the contract.

function call<K extends MethodName>(method: K): ApiMethod<K> {
  const channel = methodChannel(method);
  // Only the payload crosses; the event object and the channel stay on this side.
  return (input) => ipcRenderer.invoke(channel, input);
}

function subscribe<E>(channel: string): (listener: (event: E) => void) => () => void {
  return (listener) => {
    if (typeof listener !== 'function') throw new TypeError('Pass a function to receive events.');
    const relay = (_e: IpcRendererEvent, event: E) => listener(event);
    ipcRenderer.on(channel, relay);
    return () => {
      ipcRenderer.removeListener(channel, relay);
    };
  };
}

export const dosedeskApi = {
  auth: {
    status: call('auth.status'),
    createFirstAdmin: call('auth.createFirstAdmin'),
    signIn: call('auth.signIn'),
    signOut: call('auth.signOut'),
    lock: call('auth.lock'),
    unlock: call('auth.unlock'),
    touch: call('auth.touch'),
    changePassword: call('auth.changePassword'),
  },
  patients: {
    search: call('patients.search'),
    get: call('patients.get'),
    create: call('patients.create'),
    update: call('patients.update'),
  },
  doses: {
    record: call('doses.record'),
    edit: call('doses.edit'),
    remove: call('doses.remove'),
    get: call('doses.get'),
    listForPatient: call('doses.listForPatient'),
  },
  lots: {
    list: call('lots.list'),
    receive: call('lots.receive'),
    adjust: call('lots.adjust'),
    setActive: call('lots.setActive'),
  },
  clinicians: {
    list: call('clinicians.list'),
    create: call('clinicians.create'),
    update: call('clinicians.update'),
    setActive: call('clinicians.setActive'),
  },
  users: {
    list: call('users.list'),
    create: call('users.create'),
    setRole: call('users.setRole'),
    setActive: call('users.setActive'),
    resetPassword: call('users.resetPassword'),
  },
  audit: {
    list: call('audit.list'),
  },
  forecast: {
    forPatient: call('forecast.forPatient'),
    recallList: call('forecast.recallList'),
  },
  codes: {
    searchVaccines: call('codes.searchVaccines'),
    lists: call('codes.lists'),
    lotDefaults: call('codes.lotDefaults'),
  },
  sync: {
    status: call('sync.status'),
    workQueue: call('sync.workQueue'),
    acknowledge: call('sync.acknowledge'),
    dismiss: call('sync.dismiss'),
    resubmitRejected: call('sync.resubmitRejected'),
    retryDelete: call('sync.retryDelete'),
    retryNow: call('sync.retryNow'),
    deadlines: call('sync.deadlines'),
  },
  settings: {
    get: call('settings.get'),
    update: call('settings.update'),
  },
  registry: {
    testConnection: call('registry.testConnection'),
    saveCredentials: call('registry.saveCredentials'),
    switchToProduction: call('registry.switchToProduction'),
    switchToTraining: call('registry.switchToTraining'),
  },
  app: {
    info: call('app.info'),
  },
  store: {
    diagnostics: call('store.diagnostics'),
  },
  conditions: {
    search: call('conditions.search'),
    listForPatient: call('conditions.listForPatient'),
    record: call('conditions.record'),
    update: call('conditions.update'),
    remove: call('conditions.remove'),
  },
  reports: {
    dosesGiven: call('reports.dosesGiven'),
    compliance: call('reports.compliance'),
    lotUsage: call('reports.lotUsage'),
    byClinician: call('reports.byClinician'),
  },
  onSyncStatus: subscribe<SyncEvent>(EVENT_CHANNELS.sync),
  onSessionChange: subscribe<SessionEvent>(EVENT_CHANNELS.session),
} satisfies Api;

contextBridge.exposeInMainWorld('dosedesk', dosedeskApi);
