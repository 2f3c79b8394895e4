/**
 * `npm run schedules [-- <sessionId>] [--json]`: the local EventBridge Scheduler's schedules (the
 * session timeline's wake-ups, named after the session and step) and where each run stands, then
 * the dead-lettered runs; `-- --fire <name> [--group <group>]` runs one now. It asks the scheduler
 * of a running local stack: AWS_ENDPOINT_URL_SCHEDULER, else http://127.0.0.1:${SCHEDULER_PORT ?? 4585}.
 */
import { fireLocalSchedule, formatSchedules, listLocalSchedules, SchedulerNotRunningError } from '../infra/local/aws/scheduler/client';

const usage = 'Usage: npm run schedules [-- <name prefix, e.g. a session id>] [--json]\n       npm run schedules -- --fire <name> [--group <group>]';

const option = (argv: string[], name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};

export const main = async (argv: string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const group = option(argv, '--group');
  try {
    if (argv.includes('--fire')) {
      const name = option(argv, '--fire');
      if (!name) {
        process.stderr.write(`${usage}\n`);
        return 2;
      }
      const result = await fireLocalSchedule(name, { ...(group ? { group } : {}) });
      process.stdout.write(`${result.groupName}/${result.name}: attempt ${result.attempt} ${result.outcome}${result.error ? ` (${result.error})` : ''}\n`);
      return 0;
    }
    const prefix = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--group');
    const listing = await listLocalSchedules({ ...(prefix ? { prefix } : {}), ...(group ? { group } : {}) });
    if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
    else if (listing.schedules.length === 0 && listing.deadLetters.length === 0) process.stdout.write(prefix ? `No schedules named ${prefix}….\n` : 'No schedules.\n');
    else process.stdout.write(`${formatSchedules(listing)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof SchedulerNotRunningError ? e.message : `Could not ask the local scheduler: ${(e as Error).message}`}\n`);
    return 1;
  }
};

// Run as a command (not when imported, e.g. by a test). By file name: works as ES module and CommonJS alike.
if (/[\\/]schedules\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) void main(process.argv.slice(2)).then((code) => process.exit(code));
