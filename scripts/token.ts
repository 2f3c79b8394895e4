/**
 * `npm run --silent token -- <userId> [--roles student,tutor] [--expires-in 12h]`
 * Prints a JWT the local gateway accepts, for a demo user (roles from demo-data.ts) or, with
 * --roles, for any id. Only the token goes to stdout, so `$(npm run --silent token -- …)` works.
 * Uses the key of the same data dir as `npm start` (LOCAL_DATA_DIR or <project>/.local), and the
 * issuer of the local OpenID provider: http://localhost:$OIDC_PORT, else the one `npm start`
 * recorded in that data dir, else http://localhost:3005. The audience is the web app's client id.
 */
import { ROLES } from '../shared/domain/caller';
import { DEMO_USERS, demoUser } from '../infra/local/demo-data';
import { DEFAULT_TOKEN_LIFETIME, issuerFor, signToken } from '../infra/local/emulators/oidc/jwt';

const USAGE = `Usage: npm run --silent token -- <userId> [--roles student,tutor,admin] [--name "Name"] [--email a@b.c] [--expires-in 12h, at most 1d]
Demo users: ${DEMO_USERS.map((u) => `${u.id} (${u.roles.join(',')})`).join(', ')}`;

class UsageError extends Error {}

interface Args {
  userId: string;
  roles?: string[];
  name?: string;
  email?: string;
  expiresIn: string;
}

const parseArgs = (argv: string[]): Args => {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') throw new UsageError('');
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      positional.push(arg);
      continue;
    }
    const name = m[1]!;
    if (!['roles', 'name', 'email', 'expires-in'].includes(name)) throw new UsageError(`Unknown option --${name}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags[name] = value;
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? 'Give exactly one user id' : 'Give a user id');
  const userId = positional[0]!;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(userId)) throw new UsageError(`"${userId}" is not a valid user id (1–64 letters, digits, - or _)`);
  let roles: string[] | undefined;
  if (flags.roles !== undefined) {
    roles = flags.roles
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length || roles.length === 0) throw new UsageError(`--roles takes a comma-separated list of ${ROLES.join(', ')}`);
  }
  return {
    userId,
    ...(roles ? { roles } : {}),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.email !== undefined ? { email: flags.email } : {}),
    expiresIn: flags['expires-in'] ?? DEFAULT_TOKEN_LIFETIME,
  };
};

const main = async (): Promise<void> => {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message ? `${e.message}\n` : ''}${USAGE}\n`);
    process.exit(e.message ? 1 : 0);
  }
  const demo = demoUser(args.userId);
  if (!demo && !args.roles) {
    process.stderr.write(`Unknown user "${args.userId}": not a demo user. Pass --roles to mint a token for any id.\n${USAGE}\n`);
    process.exit(1);
  }
  const token = await signToken(
    {
      sub: args.userId,
      groups: args.roles ?? demo!.roles,
      name: args.name ?? demo?.displayName ?? args.userId,
      email: args.email ?? demo?.email ?? `${args.userId}@example.com`,
    },
    { expiresIn: /^\d+$/.test(args.expiresIn) ? Number(args.expiresIn) : args.expiresIn, issuer: issuerFor() },
  );
  process.stdout.write(`${token}\n`);
};

main().catch((e: unknown) => {
  process.stderr.write(`token: ${(e as Error).message}\n`);
  process.exit(1);
});
