/**
 * A browser's part of the authorization code flow with PKCE, over plain HTTP, as the web app
 * (oidc-client-ts) and its user do it against the local OpenID provider: discovery, the
 * authorization request, the provider's sign-in page (its cookies kept, its redirects followed
 * by hand), a button or the sign-up form, the code at the redirect URI, then the token
 * endpoint called from the web origin.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SHARED_STACK_ENV, type StackAddress } from './local-stack';

/** The origin the web app signs in from: the e2e tier's shared stack's, else the default WEB_PORT's. */
export const WEB_ORIGIN: string = process.env[SHARED_STACK_ENV] ? (JSON.parse(process.env[SHARED_STACK_ENV]) as StackAddress).webUrl : 'http://localhost:5173';
export const CLIENT_ID = 'mentorship-web';
export const REDIRECT_URI = `${WEB_ORIGIN}/auth/callback`;

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint: string;
  end_session_endpoint: string;
  revocation_endpoint?: string;
  code_challenge_methods_supported: string[];
  [key: string]: unknown;
}

export interface TokenSet {
  id_token: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: string;
  scope?: string;
}

export const discover = async (issuer: string): Promise<Discovery> => {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (res.status !== 200) throw new Error(`Discovery: ${res.status} ${await res.text()}`);
  return (await res.json()) as Discovery;
};

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** One browser: its cookie jar (name → value; enough for one host), redirects followed by hand. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method: init.method ?? 'GET', headers, redirect: 'manual', ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}) });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) <= Date.now()));
      if (gone || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /**
   * Requests `url` and follows redirects until one leads to `stopAt` (the app's redirect URI,
   * which a browser would load from the app: returned, not fetched) or a page answers.
   */
  async navigate(url: string, init: { method?: string; form?: Record<string, string> } = {}, stopAt = REDIRECT_URI): Promise<{ url: string; res?: Response }> {
    let current = url;
    let res = await this.request(current, init);
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      if (hops > 10) throw new Error(`Too many redirects from ${url}`);
      current = new URL(res.headers.get('location')!, current).href;
      if (current.startsWith(`${stopAt}?`) || current === stopAt) return { url: current };
      res = await this.request(current);
    }
    return { url: current, res };
  }
}

export interface SignInPage {
  url: string;
  status: number;
  html: string;
}

export interface AuthorizationRequest {
  browser: Browser;
  state: string;
  verifier: string;
  /** Where the authorization request led: the sign-in page, or straight back to the app. */
  page?: SignInPage;
  callback?: URL;
}

/** The web app sends the browser to the authorization endpoint (code flow, PKCE S256, `openid email profile`). */
export const authorize = async (discovery: Discovery, opts: { browser?: Browser; params?: Record<string, string>; omit?: string[] } = {}): Promise<AuthorizationRequest> => {
  const browser = opts.browser ?? new Browser();
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const params: Record<string, string> = {
    client_id: CLIENT_ID,
    response_type: 'code',
    scope: 'openid email profile',
    redirect_uri: REDIRECT_URI,
    state,
    nonce: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...opts.params,
  };
  for (const name of opts.omit ?? []) delete params[name];
  const { url, res } = await browser.navigate(`${discovery.authorization_endpoint}?${new URLSearchParams(params).toString()}`);
  if (!res) return { browser, state, verifier, callback: new URL(url) };
  return { browser, state, verifier, page: { url, status: res.status, html: await res.text() } };
};

const decode = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The forms of a page: action and inner HTML. */
const forms = (html: string) => [...html.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].map((m) => ({ action: decode(m[1]!), body: m[2]! }));

/** The button named `label` on the page (its accessible name is its text), with its form. */
export const buttonOn = (page: SignInPage, label: string) => {
  for (const form of forms(page.html)) {
    for (const b of form.body.matchAll(/<button ([^>]*)>([\s\S]*?)<\/button>/g)) {
      if (decode(b[2]!.trim()) !== label) continue;
      const name = /name="([^"]*)"/.exec(b[1]!)?.[1];
      const value = /value="([^"]*)"/.exec(b[1]!)?.[1];
      return { action: new URL(form.action, page.url).href, field: name !== undefined ? { [decode(name)]: decode(value ?? '') } : {} };
    }
  }
  throw new Error(`No button "${label}" on the sign-in page:\n${page.html}`);
};

/** The code (and state) the provider sent the browser back to the app with. */
const codeFrom = (callback: URL, state: string) => {
  if (callback.searchParams.get('error')) throw new Error(`The provider answered ${callback.searchParams.get('error')}: ${callback.searchParams.get('error_description')}`);
  if (callback.searchParams.get('state') !== state) throw new Error(`State mismatch in ${callback.href}`);
  return callback.searchParams.get('code')!;
};

/** Presses the user's button on the sign-in page; resolves with the code at the redirect URI. */
export const chooseUser = async (request: AuthorizationRequest, displayName: string): Promise<string> => {
  const { action, field } = buttonOn(request.page!, displayName);
  const { url, res } = await request.browser.navigate(action, { method: 'POST', form: field });
  if (res) throw new Error(`Choosing ${displayName} did not lead back to the app: ${res.status} ${await res.text()}`);
  return codeFrom(new URL(url), request.state);
};

/** Fills in the sign-up form and presses "Sign up": the code, or the page that answered (with its errors). */
export const signUpOn = async (request: AuthorizationRequest, fields: { name: string; email: string }): Promise<{ code: string } | { page: SignInPage }> => {
  const { action } = buttonOn(request.page!, 'Sign up');
  const { url, res } = await request.browser.navigate(action, { method: 'POST', form: fields });
  if (res) return { page: { url, status: res.status, html: await res.text() } };
  return { code: codeFrom(new URL(url), request.state) };
};

/** A call to the token endpoint from the web app's origin, as the browser's fetch makes it. */
export const tokenRequest = (discovery: Discovery, form: Record<string, string>, origin = WEB_ORIGIN) =>
  fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...form }).toString(),
  });

/** The code for tokens, with the PKCE verifier. */
export const exchangeCode = async (discovery: Discovery, request: AuthorizationRequest, code: string): Promise<TokenSet> => {
  const res = await tokenRequest(discovery, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: request.verifier });
  if (res.status !== 200) throw new Error(`Token endpoint: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenSet;
};

export const refresh = async (discovery: Discovery, refreshToken: string): Promise<TokenSet> => {
  const res = await tokenRequest(discovery, { grant_type: 'refresh_token', refresh_token: refreshToken });
  if (res.status !== 200) throw new Error(`Refresh: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenSet;
};

/** The whole flow for the user behind `displayName`'s button: fresh browser, tokens at the end. */
export const signInAs = async (issuer: string, displayName: string): Promise<TokenSet> => {
  const discovery = await discover(issuer);
  const request = await authorize(discovery);
  return exchangeCode(discovery, request, await chooseUser(request, displayName));
};

/**
 * The web app's sign-out: the browser to the end-session endpoint with the ID token and the
 * post-logout URI, then "Sign out" on the provider's page; resolves with where the browser
 * was sent back to.
 */
export const signOut = async (discovery: Discovery, browser: Browser, idToken: string): Promise<URL> => {
  const back = `${WEB_ORIGIN}/`;
  const params = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: back, client_id: CLIENT_ID, state: 'signed-out' });
  const { url, res } = await browser.navigate(`${discovery.end_session_endpoint}?${params.toString()}`, {}, back);
  if (!res) return new URL(url);
  const html = await res.text();
  const form = /<form id="op.logoutForm" method="post" action="([^"]+)"><input type="hidden" name="xsrf" value="([^"]+)"\/><\/form>/.exec(html);
  if (!form || !/<button [^>]*form="op.logoutForm"[^>]*name="logout"[^>]*>Sign out<\/button>/.test(html)) throw new Error(`No sign-out form on the page:\n${html}`);
  const done = await browser.navigate(new URL(decode(form[1]!), url).href, { method: 'POST', form: { xsrf: form[2]!, logout: 'yes' } }, back);
  if (done.res) throw new Error(`Signing out did not lead back to the app: ${done.res.status} ${await done.res.text()}`);
  return new URL(done.url);
};

/** The revocation endpoint, as oidc-client-ts calls it on sign-out when asked to. */
export const revoke = (discovery: Discovery, token: string, hint: 'refresh_token' | 'access_token') =>
  fetch(discovery.revocation_endpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: WEB_ORIGIN },
    body: new URLSearchParams({ client_id: CLIENT_ID, token, token_type_hint: hint }).toString(),
  });
