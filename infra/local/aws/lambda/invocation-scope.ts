/**
 * One invocation context per local invocation, as the Lambda runtime gives one to each concurrent
 * invocation: Powertools' logger and metrics keep the function name, request id, appended keys and
 * metrics of one invocation there. Locally every function shares one process, so without it a log
 * line took the keys of whichever invocation started last. Powertools uses the store only when
 * AWS_LAMBDA_MAX_CONCURRENCY is set, so both are set here on first use.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';

type Values = Record<string | symbol, unknown>;

/** The runtime's store for concurrent invocations (an AsyncLocalStorage), on the library's base class. */
class LocalInvokeStore extends InvokeStoreBase {
  readonly #als = new AsyncLocalStorage<Values>();

  getContext(): Values | undefined {
    return this.#als.getStore();
  }

  hasContext(): boolean {
    return this.#als.getStore() !== undefined;
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the signature of the store interface Powertools calls
  get<T = unknown>(key: string | symbol): T | undefined {
    return this.#als.getStore()?.[key] as T | undefined;
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the signature of the store interface Powertools calls
  set<T = unknown>(key: string | symbol, value: T): void {
    if (this.isProtectedKey(key)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    const values = this.#als.getStore();
    if (!values) throw new Error('No invocation context');
    values[key] = value;
  }

  run<T>(context: Values, fn: () => T): T {
    return this.#als.run(context, fn);
  }
}

let store: LocalInvokeStore | undefined;

const installed = (): LocalInvokeStore => {
  if (!store) {
    store = new LocalInvokeStore();
    // The package creates `globalThis.awslambda` when loaded (unless told not to).
    globalThis.awslambda ??= {} as typeof globalThis.awslambda;
    globalThis.awslambda.InvokeStore = store;
    process.env.AWS_LAMBDA_MAX_CONCURRENCY ||= '1000';
  }
  return store;
};

/** Runs one invocation of a function (`run` calls its handler with `context`) in a context of its own. */
export const asInvocation = <T>(context: Pick<Context, 'awsRequestId'>, run: () => T): T =>
  installed().run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, run);
