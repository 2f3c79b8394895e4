/**
 * The provider's sign-in pages (the "interactions" oidc-provider hands over to the app): a
 * button per demo user, and a sign-up form that makes the user a student through the same use
 * case as Cognito's post-confirmation trigger. A first-party app: no consent page.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { User } from '../../../../shared/data/users';
import { BodyTooLargeError, readBody } from '../../ports';
import { messagePage, signInPage, type FieldErrors, type PageUser, type SignUpValues } from './pages';

export interface OidcUsers {
  /** The user item, or undefined when there is none. */
  find: (userId: string) => Promise<User | undefined>;
  /** Makes the user a student once; a second call returns the user as stored (shared/usecases/identity.ts). */
  signUp: (input: { userId: string; name: string; email: string }) => Promise<User>;
}

/**
 * A sign-up's user id: the same for the same email (trimmed, any case), so signing up twice
 * signs in the same user; UUID-shaped like a Cognito `sub`.
 */
export const localUserIdFor = (email: string): string => {
  const h = createHash('sha256').update(`mentorship-local-user:${email.trim().toLowerCase()}`).digest().subarray(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export const signUpForm = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Your name must be at most 100 characters'),
  email: z.string().trim().max(254, 'The email address is too long').pipe(z.email('Enter an email address like name@example.com')),
});

const signInForm = z.object({ userId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)) });

/** An HTML page, never cached. */
export const send = (res: ServerResponse, status: number, html: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
};

const FORM_LIMIT = 16 * 1024;

/** The sign-in pages: /interaction/<uid> (GET) and its /login, /signup and /abort forms (POST). */
export const interactions = (provider: Provider, opts: { users: OidcUsers; signInUsers: readonly PageUser[] }) => {
  const clientName = async (clientId: string | undefined) => (clientId && (await provider.Client.find(clientId))?.clientName) || clientId || 'the app';
  const render = async (req: IncomingMessage, res: ServerResponse, uid: string, status: number, values?: SignUpValues, errors?: FieldErrors) => {
    const details = await provider.interactionDetails(req, res);
    send(
      res,
      status,
      signInPage({
        uid,
        clientName: await clientName(details.params.client_id as string | undefined),
        users: opts.signInUsers,
        ...(values ? { values } : {}),
        ...(errors ? { errors } : {}),
      }),
    );
  };
  const signIn = (req: IncomingMessage, res: ServerResponse, accountId: string) =>
    provider.interactionFinished(req, res, { login: { accountId, remember: true } }, { mergeWithLastSubmission: false });

  return async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    // The cookie names the interaction; the path must name the same one.
    if (details.uid !== uid) return send(res, 400, messagePage('Sign-in failed', 'This sign-in page belongs to another sign-in. Start again from the app.'));
    if (req.method === 'GET' && action === undefined) {
      if (details.prompt.name === 'login') return render(req, res, uid, 200);
      // A grant that lacks a scope the app asked for: a first-party app is granted it without asking.
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
      if (!grant) return send(res, 400, messagePage('Sign-in failed', 'This sign-in has expired. Start again from the app.'));
      const missing = details.prompt.details.missingOIDCScope as string[] | undefined;
      if (missing) grant.addOIDCScope(missing.join(' '));
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    if (req.method !== 'POST' || action === undefined) return send(res, 405, messagePage('Not allowed', 'Use the sign-in page.'));
    let form: URLSearchParams;
    try {
      form = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
    } catch (e) {
      if (e instanceof BodyTooLargeError) return send(res, 413, messagePage('Sign-in failed', 'The form was too large.'));
      throw e;
    }
    if (action === 'abort')
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in' }, { mergeWithLastSubmission: false });
    if (action === 'login') {
      const parsed = signInForm.safeParse(Object.fromEntries(form));
      const user = parsed.success ? await opts.users.find(parsed.data.userId) : undefined;
      if (!user) return render(req, res, uid, 400, undefined, { form: 'That user does not exist (any more): choose another one.' });
      return signIn(req, res, user.id);
    }
    if (action === 'signup') {
      const values = { name: form.get('name') ?? '', email: form.get('email') ?? '' };
      const parsed = signUpForm.safeParse(values);
      if (!parsed.success) {
        const errors: FieldErrors = {};
        for (const issue of parsed.error.issues) errors[issue.path[0] as 'name' | 'email'] ??= issue.message;
        return render(req, res, uid, 400, values, errors);
      }
      const { name, email } = parsed.data;
      const user = await opts.users.signUp({ userId: localUserIdFor(email), name, email });
      return signIn(req, res, user.id);
    }
    return send(res, 404, messagePage('Not found', 'There is no such page.'));
  };
};
/** An interaction's path: its uid, then the form posted, if any. */
export const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|signup|abort))?\/?$/;
