/**
 * The local OpenID provider's pages: server-rendered HTML, no script, so a browser, a screen
 * reader or a test's plain HTTP client all use them the same way. Everything interpolated is
 * escaped.
 */

export interface PageUser {
  id: string;
  displayName: string;
  roles: readonly string[];
}

export interface SignUpValues {
  name?: string;
  email?: string;
}

/** Messages by field ('form' for the form as a whole). */
export type FieldErrors = Partial<Record<'name' | 'email' | 'form', string>>;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (raw: string): string => raw.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `
body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;background:#f5f5f7;color:#1d1d1f}
main{max-width:32rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.5rem;margin-top:0}h2{font-size:1.15rem;margin-top:1.75rem}
ul{list-style:none;padding:0}li{margin:.5rem 0;display:flex;gap:.75rem;align-items:center}
button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #0a58ca;background:#0d6efd;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0a58ca}
button:focus-visible,input:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
label{display:block;font-weight:600;margin-top:.75rem}
input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #6e6e73;border-radius:6px}
input[aria-invalid=true]{border-color:#b00020}
.roles{color:#555}.error{color:#b00020}.alert{border:2px solid #b00020;padding:.5rem 1rem;border-radius:6px}
.actions{margin-top:1rem}`;

export const page = (title: string, body: string): string => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;

const field = (id: 'name' | 'email', label: string, type: string, autocomplete: string, value: string | undefined, error: string | undefined) =>
  [
    `<label for="${id}">${label}</label>`,
    `<input id="${id}" name="${id}" type="${type}" autocomplete="${autocomplete}" required value="${escapeHtml(value ?? '')}"${
      error ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''
    }>`,
    error ? `<p id="${id}-error" class="error">${escapeHtml(error)}</p>` : '',
  ].join('\n');

/**
 * The sign-in page of one interaction: a button per user (its accessible name is the user's
 * display name, the roles beside it), and the sign-up form. `errors` come from a sign-up or
 * sign-in that was refused, with what was typed kept.
 */
export const signInPage = (opts: { uid: string; clientName: string; users: readonly PageUser[]; values?: SignUpValues; errors?: FieldErrors }): string => {
  const base = `/interaction/${encodeURIComponent(opts.uid)}`;
  const errors = opts.errors ?? {};
  const messages = Object.values(errors);
  return page(
    'Sign in · Mentorship (local)',
    [
      '<h1>Sign in to Mentorship</h1>',
      `<p>The local stack's sign-in for ${escapeHtml(opts.clientName)}: choose a demo user, or sign up as a new student. There are no passwords here.</p>`,
      messages.length
        ? `<div class="alert" role="alert"><p>${messages.length === 1 ? 'There is a problem' : 'There are problems'}:</p><ul>${messages.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul></div>`
        : '',
      '<section aria-labelledby="users-heading">',
      '<h2 id="users-heading">Demo users</h2>',
      `<form method="post" action="${base}/login">`,
      '<ul>',
      ...opts.users.map(
        (u) =>
          `<li><button type="submit" name="userId" value="${escapeHtml(u.id)}" aria-describedby="roles-${escapeHtml(u.id)}">${escapeHtml(u.displayName)}</button>` +
          ` <span class="roles" id="roles-${escapeHtml(u.id)}">${escapeHtml(u.roles.join(', '))}</span></li>`,
      ),
      '</ul>',
      '</form>',
      '</section>',
      '<section aria-labelledby="signup-heading">',
      '<h2 id="signup-heading">New here? Sign up as a student</h2>',
      `<form method="post" action="${base}/signup">`,
      field('name', 'Name', 'text', 'name', opts.values?.name, errors.name),
      field('email', 'Email', 'email', 'email', opts.values?.email, errors.email),
      '<div class="actions"><button type="submit">Sign up</button></div>',
      '</form>',
      '<p>Signing up again with the same email signs in the same user.</p>',
      '</section>',
      `<form method="post" action="${base}/abort" class="actions"><button type="submit" class="secondary">Cancel</button></form>`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
};

/** A page that says what went wrong, e.g. an interaction that expired. */
export const messagePage = (title: string, message: string, detail?: string): string =>
  page(`${title} · Mentorship (local)`, [`<h1>${escapeHtml(title)}</h1>`, `<p>${escapeHtml(message)}</p>`, detail ? `<p><code>${escapeHtml(detail)}</code></p>` : ''].join('\n'));

/** The provider's sign-out question; `form` is its own (hidden) form with the anti-forgery field. */
export const signOutPage = (form: string): string =>
  page(
    'Sign out · Mentorship (local)',
    [
      '<h1>Sign out of Mentorship?</h1>',
      form,
      '<div class="actions">',
      '<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>',
      '<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>',
      '</div>',
    ].join('\n'),
  );
