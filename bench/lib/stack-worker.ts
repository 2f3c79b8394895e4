/**
 * A worker thread that runs the bench's local stack (./stack.ts) on an event loop of its own,
 * as a function runs alone in its sandbox and the gateway is API Gateway's: the bench's client
 * and the floor's DynamoDB calls, in the main thread, no longer share a loop with the gateway,
 * the handlers and the background. The probe lives here; the main thread asks it (./env.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { stackInfo, startProbedStack } from './stack';

/** A call from the main thread, without its id. */
export type WorkerOp =
  { op: 'take'; traceId: string } | { op: 'capture'; on: boolean } | { op: 'background' } | { op: 'settle'; quietMs?: number; maxMs?: number } | { op: 'stop' };
export type WorkerCall = WorkerOp & { id: number };

export type WorkerMessage =
  | { kind: 'ready'; stack: ReturnType<typeof stackInfo>; env: Record<string, string | undefined> }
  | { kind: 'failed'; error: string }
  | { kind: 'reply'; id: number; value?: unknown; error?: string };

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string };

try {
  const { stack, probe } = await startProbedStack({ dataDir, anyTrace: true });
  const answer = async (call: WorkerCall): Promise<unknown> => {
    switch (call.op) {
      case 'take':
        return probe.take(call.traceId);
      case 'capture':
        return probe.setCapture(call.on);
      case 'background':
        return probe.background();
      case 'settle':
        return probe.settle(call.quietMs, call.maxMs);
      case 'stop':
        probe.uninstall();
        await stack.stop();
        return undefined;
    }
  };
  port.on('message', (call: WorkerCall) => {
    answer(call).then(
      (value) => port.postMessage({ kind: 'reply', id: call.id, value } satisfies WorkerMessage),
      (e: unknown) => port.postMessage({ kind: 'reply', id: call.id, error: (e as Error)?.stack ?? String(e) } satisfies WorkerMessage),
    );
  });
  // The environment the stack set (endpoints, table name, credentials): the main thread's SDK clients need it too.
  port.postMessage({ kind: 'ready', stack: stackInfo(stack), env: { ...process.env } } satisfies WorkerMessage);
} catch (e) {
  port.postMessage({ kind: 'failed', error: (e as Error)?.stack ?? String(e) } satisfies WorkerMessage);
}
