/**
 * What the Powertools logger and metrics write. Under jest they write through the global
 * console (POWERTOOLS_DEV, test/support/env.ts), one call per log line or EMF blob, so a spy
 * on the console sees exactly what Lambda would get on stdout/stderr, one JSON object each.
 */
export type LogLine = Record<string, any>;

const METHODS = ['log', 'debug', 'info', 'warn', 'error', 'trace'] as const;

const parse = (arg: unknown): LogLine => {
  try {
    const v: unknown = JSON.parse(String(arg));
    return v !== null && typeof v === 'object' ? v : { raw: String(arg) };
  } catch {
    return { raw: String(arg) };
  }
};

/**
 * Runs `run` and returns every line written meanwhile, parsed (a line that is not JSON as
 * `{ raw }`); nothing reaches the real console. The level is the logger's own (see
 * test/support/debug-logs.ts).
 */
export const captureLogs = async (run: () => Promise<unknown>): Promise<LogLine[]> => {
  const lines: LogLine[] = [];
  const spies = METHODS.map((m) => jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void lines.push(...args.map(parse))));
  try {
    await run();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return lines;
};

/** The EMF blobs among `lines`: `{ _aws: { CloudWatchMetrics: [...] }, <metric>: value, <dimension>: value }`. */
export const emfBlobs = (lines: LogLine[]): LogLine[] => lines.filter((l) => l._aws?.CloudWatchMetrics);

/** The value of `metric` in each EMF blob that holds it. */
export const metricValues = (lines: LogLine[], metric: string): unknown[] =>
  emfBlobs(lines)
    .filter((b) => metric in b)
    .map((b) => b[metric]);
