/**
 * 1. Cold start. Every function bundled exactly as CDK bundles it (bench/bundle-options.ts),
 * its minified size, and its init time: a fresh Node process requires the bundle
 * (bench/init-child.cjs), against a baseline bundle that only requires and constructs the
 * AWS SDK clients the function loads at init (read from esbuild's metafile). Functions and
 * baselines are run in the same rounds, in a shuffled order each round, so drift on this
 * noisy machine hits both alike; each figure is the median of RUNS rounds after a warm-up.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { handlerEntry, ROUTES } from '../shared/http/routes';
import { stepEntry, WORKFLOW_STEPS } from '../shared/workflow/definition';
import { BUNDLED_SDK_OPTIONS, CDK_BUNDLE_OPTIONS, LAMBDA_NODE_OPTIONS, SOURCE_MAPS_NODE_OPTIONS } from './bundle-options';
import { median, percentile, ratio, round, shuffle } from './lib/stats';

export const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench-results', 'bundles');
const CHILD = join(ROOT, 'bench', 'init-child.cjs');

export const RUNS = 7;
/** Baselines are shared by many functions: each round runs them this many times. */
export const BASELINE_RUNS_PER_ROUND = 3;
export const WARMUP_RUNS = 1;
export const MAX_BUNDLE_BYTES = 300 * 1024;
export const MAX_INIT_RATIO = 1.3;
/** The functions bundled a second time with the SDK inside (bundleAwsSDK), when they exist. */
const SDK_REPRESENTATIVES = ['getSession', 'createSession'];

export interface FunctionEntry {
  name: string;
  kind: 'http' | 'workflow' | 'ws';
  entry: string;
}

export interface BundleInfo extends FunctionEntry {
  file: string;
  bytes: number;
  mapBytes: number;
  /** @aws-sdk packages the bundle require()s when it loads. */
  sdkAtLoad: string[];
  /** @aws-sdk packages it only import()s later (not part of init). */
  sdkLazy: string[];
  /** What the bytes are: the biggest inputs, grouped by package or shared/ folder. */
  topInputs: { input: string; bytes: number }[];
}

export interface FunctionResult extends Omit<BundleInfo, 'file'> {
  baseline: string;
  initMs: number;
  initSamples: number[];
  baselineMs: number;
  ratio: number;
  /**
   * The ratio round by round (the function's run over its baseline's median in the same round),
   * its 25th and 75th percentile: how far one round's ratio strays from another's, so that a
   * median of 1.32 that the rounds put anywhere between 1.2 and 1.45 is read as noise, not as a
   * regression (the verdict is still the median's).
   */
  ratioSpread: [number, number];
  /** initMs - baselineMs: what the function's own code costs at init. */
  deltaMs: number;
  sizePass: boolean;
  initPass: boolean;
  error?: string;
}

export interface ColdStartResult {
  node: string;
  nodeOptions: string;
  runs: number;
  warmupRuns: number;
  maxBundleBytes: number;
  maxInitRatio: number;
  functions: FunctionResult[];
  baselines: { key: string; packages: string[]; bytes: number; initMs: number; initSamples: number[] }[];
  sdkComparison: {
    name: string;
    externalBytes: number;
    bundledBytes: number;
    bundledMapBytes: number;
    externalMs: number;
    bundledMs: number;
    /** The same two with `--enable-source-maps` (context sourceMaps=true). */
    externalMapsMs: number;
    bundledMapsMs: number;
    faster: 'external' | 'bundled';
    ratioBundledToExternal: number;
  }[];
  /** What zod alone costs, for the report: the classic API through its named `z` export and as a namespace import (tree-shaken), and zod/mini. */
  zodProbes: { name: string; bytes: number; initMs: number }[];
  seconds: number;
}

const ZOD_PROBES: { name: string; source: string }[] = [
  {
    name: "zod (import { z } from 'zod')",
    source:
      "import { z } from 'zod';\nconst s = z.object({ a: z.string().min(1), n: z.coerce.number().int() }).strict();\nexport const handler = async (e: unknown) => s.safeParse(e).success;\n",
  },
  {
    name: "zod (import * as z from 'zod', as the schemas here do)",
    source:
      "import * as z from 'zod';\nconst s = z.object({ a: z.string().min(1), n: z.coerce.number().int() }).strict();\nexport const handler = async (e: unknown) => s.safeParse(e).success;\n",
  },
  {
    name: "zod/mini (import * as z from 'zod/mini')",
    source:
      "import * as z from 'zod/mini';\nconst s = z.strictObject({ a: z.string().check(z.minLength(1)), n: z.coerce.number().check(z.int()) });\nexport const handler = async (e: unknown) => s.safeParse(e).success;\n",
  },
];

/** Node 22 for the children: this process's node if it is 22, else the project's `node` dev dependency. */
export const nodeBinary = (): string => {
  if (process.versions.node.startsWith('22.')) return process.execPath;
  const local = join(ROOT, 'node_modules', '.bin', 'node');
  if (existsSync(local)) return local;
  throw new Error(`Node 22 is needed for the cold-start runs (this is ${process.version}); run npm ci`);
};

export const functionEntries = (): FunctionEntry[] => {
  const seen = new Set<string>();
  const out: FunctionEntry[] = [];
  const add = (e: FunctionEntry) => {
    if (seen.has(e.entry)) return;
    seen.add(e.entry);
    out.push(e);
  };
  for (const r of ROUTES) add({ name: r.handler, kind: 'http', entry: handlerEntry(r) });
  for (const s of WORKFLOW_STEPS) add({ name: s, kind: 'workflow', entry: stepEntry(s) });
  const wsDir = join(ROOT, 'functions', 'ws');
  if (existsSync(wsDir)) {
    for (const f of readdirSync(wsDir).sort()) {
      if (!f.endsWith('.ts') || f.endsWith('.test.ts') || f.endsWith('.d.ts')) continue;
      add({ name: `ws-${f.slice(0, -3)}`, kind: 'ws', entry: `functions/ws/${f}` });
    }
  }
  return out;
};

const groupOf = (input: string): string => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m) return m[1]!;
  const parts = input.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : input;
};

/**
 * The SDK packages the bundle requires at load: those imported (statically) by a module that
 * the entry reaches without crossing an `import()`. A package bundled behind an `import()`
 * (Powertools Parameters, which imports Secrets Manager statically) is evaluated on first use
 * only, like the SDK client it imports: lazy, not part of init.
 */
const staticSdkImports = (metafile: Metafile, entry: string): Set<string> => {
  const sdk = new Set<string>();
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const input = todo.pop()!;
    if (seen.has(input)) continue;
    seen.add(input);
    for (const i of metafile.inputs[input]?.imports ?? []) {
      if (i.kind === 'dynamic-import') continue;
      if (i.external) {
        if (i.path.startsWith('@aws-sdk/')) sdk.add(i.path);
      } else todo.push(i.path);
    }
  }
  return sdk;
};

const bundle = async (name: string, entry: string, options: BuildOptions): Promise<BundleInfo & { metafile: Metafile }> => {
  const dir = join(OUT, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.js');
  const result = await build({ ...options, entryPoints: [join(ROOT, entry)], outfile: file, absWorkingDir: ROOT, metafile: true, logLevel: 'silent' });
  const metafile = result.metafile;
  const outKey = Object.keys(metafile.outputs).find((k) => k.endsWith('index.js'))!;
  const output = metafile.outputs[outKey]!;
  const sdk = output.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/'));
  const sdkAtLoad = [...staticSdkImports(metafile, output.entryPoint ?? entry)].sort();
  const sdkLazy = [...new Set(sdk.map((i) => i.path))].filter((p) => !sdkAtLoad.includes(p)).sort();
  const groups = new Map<string, number>();
  for (const [input, v] of Object.entries(output.inputs)) groups.set(groupOf(input), (groups.get(groupOf(input)) ?? 0) + v.bytesInOutput);
  const topInputs = [...groups.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([input, bytes]) => ({ input, bytes }));
  return {
    name,
    kind: 'http',
    entry,
    file,
    bytes: statSync(file).size,
    mapBytes: existsSync(`${file}.map`) ? statSync(`${file}.map`).size : 0,
    sdkAtLoad,
    sdkLazy,
    topInputs,
    metafile,
  };
};

/** The exported client class of an @aws-sdk/client-* package (DynamoDBClient, SFNClient, ...). */
const clientClassOf = (pkg: string): string => {
  const req = createRequire(join(ROOT, 'package.json'));
  const mod = req(pkg) as Record<string, unknown>;
  const names = Object.keys(mod).filter(
    (k) => k.endsWith('Client') && k !== '__Client' && typeof mod[k] === 'function' && typeof (mod[k] as { prototype?: { send?: unknown } }).prototype?.send === 'function',
  );
  if (names.length === 0) throw new Error(`No client class found in ${pkg}`);
  return names.sort((a, b) => a.length - b.length)[0]!;
};

/** A baseline module: require and construct the SDK clients, as shared/ does at load, and nothing else. */
const baselineSource = (packages: string[]): string => {
  const lines = ["'use strict';", 'const clients = [];'];
  const clients = packages.filter((p) => p.startsWith('@aws-sdk/client-'));
  const docClient = packages.includes('@aws-sdk/lib-dynamodb');
  for (const pkg of clients) {
    const cls = clientClassOf(pkg);
    lines.push(`const { ${cls} } = require(${JSON.stringify(pkg)});`);
    if (docClient && pkg === '@aws-sdk/client-dynamodb') {
      lines.push("const { DynamoDBDocumentClient } = require('@aws-sdk/lib-dynamodb');");
      lines.push(`clients.push(DynamoDBDocumentClient.from(new ${cls}({}), { marshallOptions: { removeUndefinedValues: true } }));`);
    } else {
      lines.push(`clients.push(new ${cls}({}));`);
    }
  }
  for (const pkg of packages.filter((p) => !p.startsWith('@aws-sdk/client-') && !(p === '@aws-sdk/lib-dynamodb' && clients.includes('@aws-sdk/client-dynamodb')))) {
    lines.push(`require(${JSON.stringify(pkg)});`);
  }
  lines.push('exports.handler = async () => clients.length;');
  return `${lines.join('\n')}\n`;
};

/** Environment of a function in AWS, with local stand-ins (nothing here is called). */
const childEnv = (nodeOptions: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  TABLE_NAME: 'bench',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:000000000000:stateMachine:bench',
  ALLOWED_ORIGINS: 'http://localhost:5173',
  ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
});

const runChild = (node: string, file: string, nodeOptions: string): Promise<number> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(node, [CHILD, file], { env: childEnv(nodeOptions), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`exit ${code}: ${err.trim().split('\n').slice(0, 6).join(' | ').slice(0, 400)}`));
      try {
        resolvePromise((JSON.parse(out) as { initMs: number }).initMs);
      } catch {
        reject(new Error(`unreadable child output: ${out.slice(0, 200)}`));
      }
    });
  });

interface Target {
  id: string;
  file: string;
  nodeOptions: string;
  samples: number[];
  error?: string;
}

/** Past this, no further rounds start once the minimum of 5 measured rounds is reached. */
const SOFT_LIMIT_MS = 150_000;

export const runColdStart = async (log: (line: string) => void): Promise<ColdStartResult> => {
  const t0 = Date.now();
  const node = nodeBinary();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // A Lambda asset has no package.json: its index.js is CommonJS. The project's own says "module".
  writeFileSync(join(OUT, 'package.json'), '{ "type": "commonjs" }\n');

  const entries = functionEntries();
  log(`cold start: bundling ${entries.length} functions with the CDK options`);
  const bundles: (BundleInfo & { error?: string })[] = [];
  for (let i = 0; i < entries.length; i += 4) {
    const chunk = entries.slice(i, i + 4);
    bundles.push(
      ...(await Promise.all(
        chunk.map(async (e) => {
          try {
            const b = await bundle(e.name, e.entry, CDK_BUNDLE_OPTIONS);
            const { metafile: _m, ...info } = b;
            return { ...info, kind: e.kind };
          } catch (err) {
            return { ...e, file: '', bytes: 0, mapBytes: 0, sdkAtLoad: [], sdkLazy: [], topInputs: [], error: `bundle failed: ${(err as Error).message.slice(0, 300)}` };
          }
        }),
      )),
    );
  }

  // One baseline per distinct set of SDK packages loaded at init.
  const baselineKeys = new Map<string, string[]>();
  for (const b of bundles) if (!b.error) baselineKeys.set(b.sdkAtLoad.join('+') || '(no SDK)', b.sdkAtLoad);
  const baselines: { key: string; packages: string[]; file: string; bytes: number }[] = [];
  let n = 0;
  for (const [key, packages] of baselineKeys) {
    const dir = join(OUT, `_baseline-${n++}`);
    mkdirSync(dir, { recursive: true });
    const src = join(dir, 'entry.cjs');
    writeFileSync(src, baselineSource(packages));
    const file = join(dir, 'index.js');
    await build({ ...CDK_BUNDLE_OPTIONS, entryPoints: [src], outfile: file, absWorkingDir: ROOT, logLevel: 'silent' });
    baselines.push({ key, packages, file, bytes: statSync(file).size });
  }

  // The SDK inside the bundle (bundleAwsSDK) versus the runtime's SDK, for one or two functions.
  const reps = SDK_REPRESENTATIVES.map((name) => bundles.find((b) => b.name === name && !b.error)).filter((b): b is BundleInfo => !!b);
  const bundledSdk: { name: string; file: string; bytes: number; mapBytes: number }[] = [];
  for (const r of reps) {
    const b = await bundle(`_sdk-bundled-${r.name}`, r.entry, BUNDLED_SDK_OPTIONS);
    bundledSdk.push({ name: r.name, file: b.file, bytes: b.bytes, mapBytes: b.mapBytes });
  }

  const zodProbes: { name: string; file: string; bytes: number }[] = [];
  for (const [i, probe] of ZOD_PROBES.entries()) {
    const dir = join(OUT, `_zod-${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.ts'), probe.source);
    try {
      const b = await bundle(`_zod-${i}`, join('bench-results', 'bundles', `_zod-${i}`, 'entry.ts'), CDK_BUNDLE_OPTIONS);
      zodProbes.push({ name: probe.name, file: b.file, bytes: b.bytes });
    } catch {
      /* a zod without that entry point: leave the probe out */
    }
  }

  const targets = new Map<string, Target>();
  const target = (id: string, file: string, nodeOptions: string) => targets.set(id, { id, file, nodeOptions, samples: [] });
  for (const b of bundles) if (!b.error) target(`fn:${b.name}`, b.file, LAMBDA_NODE_OPTIONS);
  for (const b of baselines) target(`baseline:${b.key}`, b.file, LAMBDA_NODE_OPTIONS);
  for (const r of reps) target(`maps:${r.name}`, r.file, SOURCE_MAPS_NODE_OPTIONS);
  for (const z of zodProbes) target(`zod:${z.name}`, z.file, LAMBDA_NODE_OPTIONS);
  for (const s of bundledSdk) {
    target(`sdk-bundled:${s.name}`, s.file, LAMBDA_NODE_OPTIONS);
    target(`sdk-bundled-maps:${s.name}`, s.file, SOURCE_MAPS_NODE_OPTIONS);
  }

  log(
    `cold start: ${targets.size} bundles (functions, ${baselines.length} SDK baselines, SDK variants) × (${WARMUP_RUNS} warm-up + ${RUNS} rounds; baselines ×${BASELINE_RUNS_PER_ROUND} per round) fresh Node ${process.versions.node.startsWith('22.') ? process.version : '22'} processes`,
  );
  const roundList = [...targets.values()].flatMap((t) => (t.id.startsWith('baseline:') ? Array<Target>(BASELINE_RUNS_PER_ROUND).fill(t) : [t]));
  let measuredRounds = 0;
  for (let round = 0; round < WARMUP_RUNS + RUNS; round++) {
    if (measuredRounds >= 5 && Date.now() - t0 > SOFT_LIMIT_MS) break;
    if (round >= WARMUP_RUNS) measuredRounds += 1;
    for (const t of shuffle(roundList)) {
      if (t.error) continue;
      try {
        const ms = await runChild(node, t.file, t.nodeOptions);
        if (round >= WARMUP_RUNS) t.samples.push(ms);
      } catch (e) {
        t.error = (e as Error).message;
      }
    }
  }

  // The bundles stay for inspection, their source maps (~80 MB in all) do not.
  for (const dir of readdirSync(OUT, { withFileTypes: true })) {
    if (dir.isDirectory()) rmSync(join(OUT, dir.name, 'index.js.map'), { force: true });
  }

  const med = (id: string) => round(median(targets.get(id)?.samples ?? []), 2);
  /** Each round's ratio: the function's sample over the median of its baseline's runs in that round (samples are kept in round order). */
  const roundRatios = (fn: string, baseline: string): number[] => {
    const f = targets.get(fn)?.samples ?? [];
    const b = targets.get(baseline)?.samples ?? [];
    if (f.length === 0 || b.length !== f.length * BASELINE_RUNS_PER_ROUND) return [];
    return f.map((x, i) => x / median(b.slice(i * BASELINE_RUNS_PER_ROUND, (i + 1) * BASELINE_RUNS_PER_ROUND)));
  };
  const functions: FunctionResult[] = bundles.map((b) => {
    const { file: _f, ...info } = b;
    const key = b.sdkAtLoad.join('+') || '(no SDK)';
    const t = targets.get(`fn:${b.name}`);
    const initMs = med(`fn:${b.name}`);
    const baselineMs = med(`baseline:${key}`);
    const perRound = roundRatios(`fn:${b.name}`, `baseline:${key}`);
    const error = b.error ?? t?.error ?? targets.get(`baseline:${key}`)?.error;
    return {
      ...info,
      baseline: key,
      initMs,
      initSamples: (t?.samples ?? []).map((x) => round(x, 2)),
      baselineMs,
      ratio: ratio(initMs, baselineMs),
      ratioSpread: [round(percentile(perRound, 25), 2), round(percentile(perRound, 75), 2)],
      deltaMs: round(initMs - baselineMs, 2),
      sizePass: !b.error && b.bytes <= MAX_BUNDLE_BYTES,
      initPass: !error && initMs <= MAX_INIT_RATIO * baselineMs,
      ...(error ? { error } : {}),
    };
  });

  const sdkComparison = bundledSdk.map((s) => {
    const ext = bundles.find((b) => b.name === s.name)!;
    const externalMs = med(`fn:${s.name}`);
    const bundledMs = med(`sdk-bundled:${s.name}`);
    return {
      name: s.name,
      externalBytes: ext.bytes,
      bundledBytes: s.bytes,
      bundledMapBytes: s.mapBytes,
      externalMs,
      bundledMs,
      externalMapsMs: med(`maps:${s.name}`),
      bundledMapsMs: med(`sdk-bundled-maps:${s.name}`),
      faster: bundledMs < externalMs ? ('bundled' as const) : ('external' as const),
      ratioBundledToExternal: ratio(bundledMs, externalMs),
    };
  });

  return {
    node: process.versions.node.startsWith('22.') ? process.version : 'node_modules/.bin/node',
    nodeOptions: LAMBDA_NODE_OPTIONS,
    runs: measuredRounds,
    warmupRuns: WARMUP_RUNS,
    maxBundleBytes: MAX_BUNDLE_BYTES,
    maxInitRatio: MAX_INIT_RATIO,
    functions,
    baselines: baselines.map((b) => ({
      key: b.key,
      packages: b.packages,
      bytes: b.bytes,
      initMs: med(`baseline:${b.key}`),
      initSamples: (targets.get(`baseline:${b.key}`)?.samples ?? []).map((x) => round(x, 2)),
    })),
    sdkComparison,
    zodProbes: zodProbes.map((z) => ({ name: z.name, bytes: z.bytes, initMs: med(`zod:${z.name}`) })),
    seconds: round((Date.now() - t0) / 1000, 1),
  };
};
