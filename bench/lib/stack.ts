/**
 * The bench's local stack and its probe, in the thread that runs them: started on loopback
 * ports with the given data folder, the probe installed on the handlers' document client, the
 * bench tutors seeded with the project's own seeding. bench/lib/env.ts runs it in-process or,
 * through ./stack-worker.ts, in a worker thread of its own.
 */
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/start';
import { DEMO_USERS, type DemoUser } from '../../infra/local/demo-data';
import { installProbe, type Probe } from './probe';
import { isSeededHistory } from './seeded';

export const BENCH_TUTORS = Array.from({ length: 32 }, (_, i) => `bench-tutor-${String(i + 1).padStart(2, '0')}`);
export const FIGHT_TUTOR = 'bench-tutor-fight';

/** What the bench reads of the stack: everything but `stop` (which stays with the thread that runs it). */
export type StackInfo = Omit<LocalStack, 'stop'>;

export interface ProbedStack {
  stack: LocalStack;
  probe: Probe;
}

/** `anyTrace`: the bench's HTTP client is in another thread (see installProbe). */
export const startProbedStack = async (opts: { dataDir: string; anyTrace?: boolean } & Pick<LocalStackOptions, 'wrapFunction'>): Promise<ProbedStack> => {
  const options: LocalStackOptions = {
    port: 0,
    host: '127.0.0.1',
    dataDir: opts.dataDir,
    seed: true,
    sfnPort: 0,
    paystackPort: 0,
    oidcPort: 0,
    log: false,
    streamRecords: (r) => !isSeededHistory(r),
    ...(opts.wrapFunction ? { wrapFunction: opts.wrapFunction } : {}),
  };
  // Servers the stack may add later (WebSocket gateway, Zoom emulator) also on any free port.
  const stack = await startLocalStack({ ...options, ...({ wsPort: 0, zoomPort: 0, schedulerPort: 0, mailPort: 0 } as object) });
  try {
    // The handlers' client: imported only now, after the stack set the environment.
    const { ddb } = await import('../../shared/data/client');
    const port = (url: string | null) => (url ? new URL(url).port : '');
    const ports: Record<string, string> = { [port(stack.dynamoEndpoint)]: 'dynamodb', [port(stack.sfnEndpoint)]: 'sfn', [String(stack.port)]: 'gateway' };
    if (stack.paystackEmulator) ports[port(stack.paystackEmulator)] = 'paystack';
    if (stack.zoomEmulator) ports[port(stack.zoomEmulator)] = 'zoom';
    const probe = installProbe({ ddb: ddb as never, ports, ...(opts.anyTrace ? { anyTrace: true } : {}) });

    // Bench tutors: the demo tutor's terms, seeded with the project's own seeding.
    const ada = DEMO_USERS.find((u) => u.id === 'tutor-ada')!;
    const { seedDemoData } = await import('../../infra/local/seed');
    const tutors: DemoUser[] = [...BENCH_TUTORS, FIGHT_TUTOR].map((id) => ({
      id,
      displayName: id,
      email: `${id}@example.com`,
      roles: ['tutor'],
      profile: { ...ada.profile!, displayName: id },
    }));
    await seedDemoData({ users: tutors });
    return { stack, probe };
  } catch (e) {
    await stack.stop();
    throw e;
  }
};

/** The stack's fields without its functions (what crosses to another thread). */
export const stackInfo = (stack: LocalStack): StackInfo => {
  const { stop: _stop, ...info } = stack;
  return info;
};
