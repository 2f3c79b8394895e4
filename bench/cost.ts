/**
 * Cost per booking, estimated from what phase 3 measured for a REQUEST booking taken to the
 * point where it waits for payment (POST /sessions, the workflow's approval steps,
 * POST /sessions/{id}/approve, the workflow's payment steps), priced with AWS list prices.
 * An estimate: the capacity units are DynamoDB Local's, the Lambda durations are the local
 * gateway's times, and prices change (see PRICES).
 */
import type { CallsResult } from './calls';
import type { BenchEnv } from './lib/env';
import { median, round } from './lib/stats';

export const PRICES = {
  source: 'AWS list prices, us-east-1, checked 2025: HTTP API first 300M requests; Lambda Arm; DynamoDB on-demand (after the Nov 2024 cut); Step Functions Standard',
  apiGatewayHttpPerMillionRequests: 1.0,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaMemoryGb: 0.5,
  dynamoPerMillionWriteRequestUnits: 0.625,
  dynamoPerMillionReadRequestUnits: 0.125,
  stepFunctionsPerThousandTransitions: 0.025,
} as const;

export interface CostResult {
  bookingsMeasured: number;
  perBooking: {
    apiRequests: number;
    dynamoReadUnits: number;
    dynamoWriteUnits: number;
    lambdaInvocations: number;
    lambdaGbSeconds: number;
    stateTransitions: number;
  };
  usd: { apiGateway: number; lambda: number; dynamodb: number; stepFunctions: number; total: number };
  usdPerThousandBookings: number;
  prices: typeof PRICES;
  notes: string[];
}

export const estimateCost = async (_env: BenchEnv, calls: CallsResult): Promise<CostResult> => {
  const { dynamoExecutionStore } = await import('../infra/local/workflow/store');
  const store = dynamoExecutionStore();
  const { booking, approval, sessionIds } = calls.cost;
  const transitions: number[] = [];
  const tasks: number[] = [];
  for (const id of sessionIds) {
    const record = await store.get(id);
    if (!record) continue;
    transitions.push(record.stateTransitions);
    tasks.push(record.history.filter((e) => e.type === 'TaskStateEntered').length);
  }
  const n = Math.min(booking.length, approval.length);
  const reads = median(Array.from({ length: n }, (_, i) => booking[i]!.apiRead + booking[i]!.workflowRead + approval[i]!.apiRead + approval[i]!.workflowRead));
  const writes = median(Array.from({ length: n }, (_, i) => booking[i]!.apiWrite + booking[i]!.workflowWrite + approval[i]!.apiWrite + approval[i]!.workflowWrite));
  const bookMs = median(booking.map((b) => b.serverMs));
  const approveMs = median(approval.map((b) => b.serverMs));
  const taskCount = median(tasks);
  const stepMs = median([bookMs, approveMs]);
  const invocations = 2 + taskCount;
  const gbSeconds = ((bookMs + approveMs + taskCount * stepMs) / 1000) * PRICES.lambdaMemoryGb;
  const stateTransitions = median(transitions);
  const usd = {
    apiGateway: (2 * PRICES.apiGatewayHttpPerMillionRequests) / 1e6,
    lambda: (invocations * PRICES.lambdaPerMillionRequests) / 1e6 + gbSeconds * PRICES.lambdaArmPerGbSecond,
    dynamodb: (reads * PRICES.dynamoPerMillionReadRequestUnits + writes * PRICES.dynamoPerMillionWriteRequestUnits) / 1e6,
    stepFunctions: (stateTransitions * PRICES.stepFunctionsPerThousandTransitions) / 1000,
    total: 0,
  };
  usd.total = usd.apiGateway + usd.lambda + usd.dynamodb + usd.stepFunctions;
  const r = (x: number) => Number(x.toPrecision(3));
  return {
    bookingsMeasured: n,
    perBooking: {
      apiRequests: 2,
      dynamoReadUnits: round(reads, 2),
      dynamoWriteUnits: round(writes, 2),
      lambdaInvocations: invocations,
      lambdaGbSeconds: round(gbSeconds, 5),
      stateTransitions,
    },
    usd: { apiGateway: r(usd.apiGateway), lambda: r(usd.lambda), dynamodb: r(usd.dynamodb), stepFunctions: r(usd.stepFunctions), total: r(usd.total) },
    usdPerThousandBookings: r(usd.total * 1000),
    prices: PRICES,
    notes: [
      'A REQUEST booking up to "waiting for payment": POST /sessions + its workflow steps + POST /sessions/{id}/approve + the steps that follow.',
      'DynamoDB units are the ConsumedCapacity DynamoDB Local returned (TOTAL) for every call of the two requests and of the workflow steps run in between.',
      `Lambda durations: the gateway time of the two requests (${round(bookMs, 1)} and ${round(approveMs, 1)} ms, this machine), and their median for each of the ${taskCount} task steps; 512 MB Arm.`,
      'State transitions: what the local Step Functions counted for the execution, as AWS bills them (state entries and retries).',
      'Not included: payment, meeting and timeline steps after payment, CloudWatch Logs, X-Ray, data transfer, free tiers.',
    ],
  };
};
