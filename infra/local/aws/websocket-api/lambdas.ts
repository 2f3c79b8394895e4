/**
 * The WebSocket API's functions (the $connect authorizer and the route handlers), each loaded on
 * first use, after the caller has set the environment they read, and invoked as Lambda would:
 * with a context of their own and in their own invocation scope.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { WsRouteKey } from '../../../../shared/ws/routes';
import { asInvocation } from '../lambda/invocation-scope';
import { ACCOUNT_ID } from './events';

/** A Lambda handler as the gateway calls it (middy handlers fit); its result, or the promise of one. */
export type WsLambda = (event: never, context: Context) => unknown;

export type WsFunction = 'authorizer' | WsRouteKey;

export interface WsLambdaOptions {
  /** The $connect REQUEST authorizer; default functions/ws/authorizer.ts. */
  authorizer?: WsLambda;
  /** The route handlers; default functions/ws/{connect,disconnect,default}.ts. */
  handlers?: Partial<Record<WsRouteKey, WsLambda>>;
  /** Wraps the authorizer and each route handler once loaded (the bench counts and times invocations). */
  wrap?: (name: WsFunction, fn: WsLambda) => WsLambda;
}

/** Invokes one of the functions with `event`, resolving to what it returned. */
export const wsInvoker = (opts: WsLambdaOptions, region: string) => {
  const loaders: Record<WsFunction, () => Promise<WsLambda>> = {
    authorizer: async () => opts.authorizer ?? (await import('../../../../functions/ws/authorizer')).handler,
    $connect: async () => opts.handlers?.$connect ?? (await import('../../../../functions/ws/connect')).handler,
    $disconnect: async () => opts.handlers?.$disconnect ?? (await import('../../../../functions/ws/disconnect')).handler,
    $default: async () => opts.handlers?.$default ?? (await import('../../../../functions/ws/default')).handler,
  };
  const loaded = new Map<string, Promise<WsLambda>>();
  return async (name: WsFunction, event: unknown): Promise<unknown> => {
    let h = loaded.get(name);
    if (!h) {
      h = loaders[name]().then((fn) => (opts.wrap ? opts.wrap(name, fn) : fn));
      h.catch(() => loaded.delete(name));
      loaded.set(name, h);
    }
    const fn = name === 'authorizer' ? 'ws-authorizer' : `ws-${name.slice(1)}`;
    const context = {
      functionName: fn,
      functionVersion: '$LATEST',
      awsRequestId: randomUUID(),
      invokedFunctionArn: `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${fn}`,
      memoryLimitInMB: '256',
      logGroupName: `/aws/lambda/${fn}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => 10_000,
    } as unknown as Context;
    const lambda = await h;
    return asInvocation(context, () => lambda(event as never, context));
  };
};
