/**
 * Counts the DynamoDB calls one piece of code makes through the handlers' client (`ddb`,
 * shared/data/client.ts), and only its own: the workflow's steps and the stream's consumers
 * run in the same process on the same client, so calls are attributed through
 * AsyncLocalStorage, which follows the code's awaits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ddb } from '../../shared/data/client';

const als = new AsyncLocalStorage<string[]>();
let installed = false;

/** Runs `fn` and returns what it returned with the DynamoDB commands it sent, in order (e.g. `GetItemCommand`). */
export const recordDdbCalls = async <T>(fn: () => Promise<T>): Promise<{ result: T; calls: string[] }> => {
  if (!installed) {
    ddb.middlewareStack.add(
      (next, context) => async (args) => {
        als.getStore()?.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'testDdbCallCounter' },
    );
    installed = true;
  }
  const calls: string[] = [];
  const result = await als.run(calls, fn);
  return { result, calls };
};
