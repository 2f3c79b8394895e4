/**
 * Counts the DynamoDB calls one piece of code makes through the handlers' client (`ddb`,
 * shared/data/client.ts), and only its own: the workflow's steps and the stream's consumers
 * run in the same process on the same client, so calls are attributed through
 * AsyncLocalStorage, which follows the code's awaits. The other requests it sends (Step
 * Functions, Paystack, Zoom) are recorded too, from Node's `http.client.request.start`
 * diagnostics channel (node:http, as the AWS SDK sends) and `undici:request:create` (fetch, as
 * the Paystack and Zoom clients send), which publish in the caller's async context.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { ddb } from '../../shared/data/client';

interface Recorded {
  calls: string[];
  remote: string[];
}

const als = new AsyncLocalStorage<Recorded>();
let installed = false;

const dynamoHost = () => (process.env.AWS_ENDPOINT_URL_DYNAMODB ? new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB).host : undefined);

/** An AWS JSON call by its target (`AWSStepFunctions.SendTaskSuccess`), anything else by method, host and path. */
const describeRequest = (req: ClientRequest): string => {
  const target = req.getHeader('x-amz-target');
  return typeof target === 'string' ? target : `${req.method} ${String(req.getHeader('host'))}${req.path}`;
};

/**
 * Runs `fn` and returns what it returned with the DynamoDB commands it sent, in order (e.g.
 * `GetItemCommand`), and its other outgoing HTTP requests (`remote`).
 */
export const recordDdbCalls = async <T>(fn: () => Promise<T>): Promise<{ result: T; calls: string[]; remote: string[] }> => {
  if (!installed) {
    ddb.middlewareStack.add(
      (next, context) => async (args) => {
        als.getStore()?.calls.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'testDdbCallCounter' },
    );
    subscribe('http.client.request.start', (message) => {
      const store = als.getStore();
      const req = (message as { request: ClientRequest }).request;
      if (store && req.getHeader('host') !== dynamoHost()) store.remote.push(describeRequest(req));
    });
    subscribe('undici:request:create', (message) => {
      const store = als.getStore();
      const req = (message as { request: { method: string; origin: string; path: string } }).request;
      if (store) store.remote.push(`${req.method} ${new URL(req.origin).host}${req.path}`);
    });
    installed = true;
  }
  const recorded: Recorded = { calls: [], remote: [] };
  const result = await als.run(recorded, fn);
  return { result, ...recorded };
};
