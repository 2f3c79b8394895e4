/**
 * `npm run bench:handlers`: where a read route's time goes, in-process and without HTTP, so the
 * figures hold on a machine other work shares (medians of thousands of calls, in µs). Each read
 * route's handler is called with the event the local gateway makes, against the bench's local
 * stack; `handler − in ddb` is the CPU a Lambda spends on the request besides waiting, and its
 * parts (JWT check, middy chain, entity parse, presentation) are each timed alone. bench/README.md §2.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import type { Context } from 'aws-lambda';
import { BENCH_TUTORS, startBenchEnv } from './lib/env';
import { median, percentile } from './lib/stats';

const N = Number(process.env.BENCH_HANDLER_RUNS ?? 3000);
const WARMUP = 300;

const us = (ms: number) => Math.round(ms * 1000);

/** Median µs of `fn` over `n` runs (after a warm-up), run one after another. */
const timeEach = async (n: number, fn: () => unknown): Promise<number> => {
  for (let i = 0; i < WARMUP; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return us(median(xs));
};

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** A CPU profile of `n` calls of `fn`, written to bench-results/<name>.cpuprofile, and its top self times printed. */
const profile = async (name: string, fn: () => Promise<unknown>, n: number) => {
  const { Session } = await import('node:inspector/promises');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  for (let i = 0; i < n; i++) await fn();
  const { profile: p } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(`bench-results/${name}.cpuprofile`, JSON.stringify(p));
  const self = new Map<string, number>();
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const dt = new Map<number, number>();
  p.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  for (const [id, t] of dt) {
    const f = byId.get(id)!.callFrame;
    const file = f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(shared|functions|infra|bench)\//, '$1/');
    const key = `${f.functionName || '(anon)'} ${file}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + t);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const group = new Map<string, number>();
  for (const [k, t] of self) {
    const file = k.split(' ').slice(1).join(' ');
    const g = /^(@[^/]+\/[^/]+|[^/@][^/]*)\//.exec(file)?.[1] ?? (file.startsWith('node:') ? 'node' : file.split(':')[0] || '(vm)');
    const key = k.startsWith('(') ? k.split(' ')[0]! : g;
    group.set(key, (group.get(key) ?? 0) + t);
  }
  process.stderr.write(
    `profile ${name} by package: ${[...group.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([g, t]) => `${g} ${(t / n).toFixed(1)}`)
      .join(', ')}\n`,
  );
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
  process.stderr.write(`profile ${name}: ${Math.round(total / n)} µs sampled per call\n`);
  for (const [k, t] of top) process.stderr.write(`  ${(t / n).toFixed(1).padStart(7)} µs  ${k}\n`);
};

const cpuOf = async (fn: () => Promise<unknown>, n: number) => {
  const c = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const d = process.cpuUsage(c);
  return Math.round((d.user + d.system) / n);
};

const main = async () => {
  const load0 = loadavg();
  const env = await startBenchEnv();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const settle = () => env.probe.settle(250, 20_000);
    // The reader: ten upcoming sessions, booked and approved; tutor-ada: twelve open requests.
    log('fixtures: booking …');
    const [reader] = await env.students(1);
    const ids: string[] = [];
    for (const tutorId of BENCH_TUTORS.slice(0, 10)) {
      const r = await env.book(reader!, tutorId);
      if (r.status !== 201) throw new Error(`booking: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      await settle();
      const a = await env.http.request('POST', `/sessions/${r.body.session.id}/approve`, { token: await env.token(tutorId, ['tutor']) });
      if (a.status !== 200) throw new Error(`approve: HTTP ${a.status} ${JSON.stringify(a.body)}`);
      await settle();
      ids.push(r.body.session.id as string);
    }
    for (const s of await env.students(12)) {
      const r = await env.book(s, 'tutor-ada');
      if (r.status !== 201) throw new Error(`booking: HTTP ${r.status}`);
    }
    await settle();
    env.probe.uninstall();

    const { ddb } = await import('../shared/data/client');
    const { verifyToken } = await import('../infra/local/emulators/oidc/jwt');
    const { stringifyClaims, lambdaContexts } = await import('../infra/local/aws/http-api/lambda-integration');
    const { asInvocation } = await import('../infra/local/aws/lambda/invocation-scope');
    const { routeOf } = await import('../shared/http/routes');
    const { httpHandler, ok } = await import('../shared/http/handler');
    const { SessionEntity } = await import('../shared/data/sessions');

    // The handlers' client, timed at the front of its stack; the last call's input and items kept.
    let inDdb = 0;
    let sendStart = 0;
    let sendEnd = 0;
    let last: { input: any; items: Record<string, unknown>[]; out?: any } = { input: undefined, items: [] };
    // When set, the call is answered with the last answer at once: the handler's own CPU, without the SDK or the network.
    let stubbed = false;
    ddb.middlewareStack.add(
      (next: any, context: any) => async (args: any) => {
        if (stubbed) return { output: { ...last.out.output, Items: last.items.map((i) => structuredClone(i)) }, response: last.out.response };
        const t = performance.now();
        sendStart = t;
        try {
          const out = await next(args);
          sendEnd = performance.now();
          if (context.commandName === 'QueryCommand') last = { input: args.input, items: out.output.Items ?? [], out };
          return out;
        } finally {
          inDdb += performance.now() - t;
        }
      },
      { step: 'initialize', name: 'benchHandlersTimer', priority: 'high' },
    );
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const http = await import('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string, token: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: env.stack.port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.on('data', () => {});
          res.on('end', () => (res.statusCode === 200 ? resolve(res.statusCode) : reject(new Error(`HTTP ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end();
      });

    const readerToken = reader!.token;
    const adaToken = await env.token('tutor-ada', ['tutor']);
    const issuer = env.stack.issuer;
    const routes = [
      { name: 'GET /sessions/{id}', handler: 'getSession', token: readerToken, path: { sessionId: ids[0]! }, query: undefined },
      { name: 'GET /me/sessions?view=upcoming', handler: 'listMySessions', token: readerToken, path: undefined, query: { view: 'upcoming' } },
      { name: 'GET /tutor/sessions?view=approvals', handler: 'listTutorSessions', token: adaToken, path: undefined, query: { view: 'approvals' } },
    ] as const;

    const rows: Record<string, string | number>[] = [];
    for (const r of routes) {
      const mod = (await import(`../functions/http/${r.handler}.ts`)) as { handler: ((e: unknown, c: Context) => Promise<any>) & { contract: any } };
      const def = routeOf(r.handler);
      const claims = await verifyToken(r.token, { dataDir: env.dataDir, issuer });
      const rawPath = r.path ? def.path.replace('{sessionId}', r.path.sessionId) : def.path;
      const rawQueryString = r.query ? new URLSearchParams(r.query).toString() : '';
      const eventOf = () => ({
        version: '2.0',
        routeKey: `${def.method} ${def.path}`,
        rawPath,
        rawQueryString,
        headers: { authorization: `Bearer ${r.token}`, host: '127.0.0.1', 'user-agent': 'bench', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http' },
        ...(r.query ? { queryStringParameters: { ...r.query } } : {}),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          authorizer: { jwt: { claims: stringifyClaims(claims), scopes: null }, principalId: '', integrationLatency: 0 },
          domainName: '127.0.0.1',
          domainPrefix: '127',
          http: { method: def.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
          requestId: 'bench',
          routeKey: `${def.method} ${def.path}`,
          stage: '$default',
          time: '01/Jan/2026:00:00:00 +0000',
          timeEpoch: Date.now(),
        },
        ...(r.path ? { pathParameters: { ...r.path } } : {}),
        isBase64Encoded: false,
      });
      const contextOf = lambdaContexts(def, 'eu-west-1', 30_000);
      const invoke = async (h: (e: unknown, c: Context) => Promise<any>) => {
        const context = contextOf();
        return asInvocation(context, () => h(eventOf(), context));
      };

      // The whole invocation, and the part of it in DynamoDB.
      const first = await invoke(mod.handler);
      if (first.statusCode !== 200) throw new Error(`${r.name}: ${first.statusCode} ${first.body}`);
      for (let i = 0; i < WARMUP; i++) await invoke(mod.handler);
      const total: number[] = [];
      const rest: number[] = [];
      const ddbOnly: number[] = [];
      const before: number[] = [];
      const after: number[] = [];
      for (let i = 0; i < N; i++) {
        inDdb = 0;
        const t = performance.now();
        await invoke(mod.handler);
        const end = performance.now();
        const ms = end - t;
        before.push(sendStart - t);
        after.push(end - sendEnd);
        total.push(ms);
        ddbOnly.push(inDdb);
        rest.push(ms - inDdb);
      }
      const input = last.input;
      const items = last.items;
      const floor = await timeEach(N, () => ddb.send(new QueryCommand(input)));
      // CPU of this process per request (DynamoDB Local is another process), in alternating batches: robust to other load.
      const cpuHandler: number[] = [];
      const cpuFloor: number[] = [];
      for (let b = 0; b < 10; b++) {
        cpuHandler.push(await cpuOf(() => invoke(mod.handler), N / 10));
        cpuFloor.push(await cpuOf(() => ddb.send(new QueryCommand(input)), N / 10));
      }
      if (process.env.BENCH_HANDLER_PROFILE === 'real') await profile(r.handler, () => invoke(mod.handler), N);
      stubbed = true;
      const cpu = await timeEach(N, () => invoke(mod.handler));
      const clone = await timeEach(N, () => items.map((i) => structuredClone(i)));
      // The whole API side with the DynamoDB call answered at once: HTTP to the local gateway, its JWT check, event, handler, response.
      const viaGateway = await timeEach(N, () => get(rawPath + (rawQueryString ? `?${rawQueryString}` : ''), r.token));
      const cpuGateway = await cpuOf(() => get(rawPath + (rawQueryString ? `?${rawQueryString}` : ''), r.token), N);
      const cpuStubbed = await cpuOf(() => invoke(mod.handler), N);
      if (process.env.BENCH_HANDLER_PROFILE === 'stub') {
        await profile(`${r.handler}-gateway-stubbed`, () => get(rawPath + (rawQueryString ? `?${rawQueryString}` : ''), r.token), N);
      }
      stubbed = false;

      // The parts, each alone.
      const jwt = await timeEach(N, () => verifyToken(r.token, { dataDir: env.dataDir, issuer }));
      const body = JSON.parse(first.body);
      const contract = mod.handler.contract;
      const chainOnly = httpHandler(async () => ok(body), { route: contract.route, path: contract.path, query: contract.query });
      const chain = await timeEach(N, () => invoke(chainOnly as unknown as (e: unknown, c: Context) => Promise<unknown>));
      const json = await timeEach(N, () => JSON.stringify(body));
      const index = input.IndexName ? (input.IndexName.startsWith('gsi1') ? 'gsi1' : 'gsi2') : undefined;
      const parse = await timeEach(N, () => {
        for (const item of items) {
          if (index) SessionEntity.parseListed(index, item);
          else if (item.type === 'Session') SessionEntity.parse(item);
        }
      });
      const handlerRest = us(median(rest));
      rows.push({
        route: r.name,
        items: items.length,
        'handler p50': us(median(total)),
        'handler p99': us(percentile(total, 99)),
        'in ddb': us(median(ddbOnly)),
        floor,
        'handler − ddb': handlerRest,
        'before send': us(median(before)),
        'after send': us(median(after)),
        'handler, ddb stubbed': cpu - clone,
        'via gateway, ddb stubbed': viaGateway - clone,
        'CPU via gateway, stubbed': cpuGateway,
        'CPU handler, stubbed': cpuStubbed,
        'middy chain': chain,
        'of which JSON': json,
        'entity parse': parse,
        'use case etc.': cpu - clone - chain - parse,
        'gateway JWT': jwt,
        'CPU handler': Math.round(median(cpuHandler)),
        'CPU floor': Math.round(median(cpuFloor)),
        'CPU added': Math.round(median(cpuHandler) - median(cpuFloor)),
      });
      log(`${r.name}: ${JSON.stringify(rows.at(-1))}`);
    }
    const cols = Object.keys(rows[0]!);
    const widths = cols.map((c) => Math.max(c.length, ...rows.map((row) => String(row[c]).length)));
    const line = (vals: string[]) => vals.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
    process.stdout.write(
      [
        `In-process, µs, median of ${N} (after ${WARMUP}) on ${process.version}; load average before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')}`,
        line(cols),
        line(cols.map((c, i) => '-'.repeat(widths[i]!))),
        ...rows.map((row) => line(cols.map((c) => String(row[c])))),
        '',
      ].join('\n'),
    );
  } finally {
    await env.stop();
  }
};

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
