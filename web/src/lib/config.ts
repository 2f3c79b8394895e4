/** The runtime configuration every stage serves at `/config.json`: one build, any stage. */
export interface RuntimeConfig {
  apiUrl: string;
  wsUrl: string;
  /** The OpenID Connect issuer (Cognito user pool, or the local provider). */
  authority: string;
  clientId: string;
  region?: string;
}

const isUrl = (v: unknown): v is string => typeof v === 'string' && URL.canParse(v);

/** Reads and checks `/config.json`; a broken one fails the start with a message that names it. */
export const loadConfig = async (fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> => {
  const res = await fetchImpl('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`/config.json answered ${res.status}`);
  const raw = (await res.json()) as Partial<Record<keyof RuntimeConfig, unknown>>;
  if (!isUrl(raw.apiUrl) || !isUrl(raw.wsUrl) || !isUrl(raw.authority) || typeof raw.clientId !== 'string' || !raw.clientId) {
    throw new Error('/config.json must give apiUrl, wsUrl and authority as URLs and a clientId');
  }
  return {
    apiUrl: raw.apiUrl.replace(/\/+$/, ''),
    wsUrl: raw.wsUrl.replace(/\/+$/, ''),
    authority: raw.authority.replace(/\/+$/, ''),
    clientId: raw.clientId,
    ...(typeof raw.region === 'string' ? { region: raw.region } : {}),
  };
};
