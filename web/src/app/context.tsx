/** The API client and the runtime configuration, for the feature hooks. */
import { createContext, useContext, type ReactNode } from 'react';
import type { Api } from '../lib/api';
import type { RuntimeConfig } from '../lib/config';

interface AppContextValue {
  api: Api;
  config: RuntimeConfig;
}

const AppContext = createContext<AppContextValue | null>(null);

export const AppProvider = ({ value, children }: { value: AppContextValue; children: ReactNode }) => <AppContext.Provider value={value}>{children}</AppContext.Provider>;

const useApp = (): AppContextValue => {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApi outside AppProvider');
  return v;
};

export const useApi = (): Api => useApp().api;
export const useRuntimeConfig = (): RuntimeConfig => useApp().config;
