import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { CodeLists, CodeOption } from '../../../electron/api';
import { CODE_LIST_NAMES } from '../../../electron/api';
import { api, run } from '../api';
import type { Option } from '../ui/Field';

// The dropdown lists (routes, sites, VFC, funding, races…), read once per session.

const empty = Object.fromEntries(CODE_LIST_NAMES.map((n) => [n, []])) as unknown as CodeLists;
const Ctx = createContext<CodeLists>(empty);

export function useCodeLists(): CodeLists {
  return useContext(Ctx);
}

export function toOptions(list: readonly CodeOption[], withCode = false): Option[] {
  return list.map((o) => ({ value: o.code, label: withCode ? `${o.label} (${o.code})` : o.label }));
}

export function CodeListsProvider({ children }: { children: ReactNode }) {
  const [lists, setLists] = useState<CodeLists>(empty);
  useEffect(() => {
    let alive = true;
    void run(api().codes.lists({})).then((r) => {
      if (alive && r.ok) setLists({ ...empty, ...r.value });
    });
    return () => {
      alive = false;
    };
  }, []);
  return <Ctx.Provider value={lists}>{children}</Ctx.Provider>;
}
