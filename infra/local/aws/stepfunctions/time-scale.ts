/**
 * LOCAL_TIME_SCALE=N makes the local Step Functions service run N times faster than AWS:
 * every Wait, every task timeout and every retry interval lasts 1/N of its real duration.
 * The application's clock is not touched (Date.now() stays real): a session booked one hour
 * ahead gets its reminder after (45 min) / N.
 */
export const TIME_SCALE_ENV = 'LOCAL_TIME_SCALE';
/**
 * LOCAL_RETRY_TIME_SCALE=N compresses only the retry intervals (default: LOCAL_TIME_SCALE):
 * a failing emulated dependency is retried in moments while deadlines keep their real length.
 */
export const RETRY_TIME_SCALE_ENV = 'LOCAL_RETRY_TIME_SCALE';

/** Node's timers take at most 2^31 - 1 ms (about 24.8 days); longer delays fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Parses LOCAL_TIME_SCALE (default 1; or another variable, with another default): a finite number > 0. */
export const parseTimeScale = (raw: string | undefined = process.env[TIME_SCALE_ENV], name = TIME_SCALE_ENV, fallback = 1): number => {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number > 0 (e.g. 60 runs waits 60 times faster), got "${raw}"`);
  return n;
};

/** A real duration (ms) as the local service waits it. */
export const scaleMs = (ms: number, timeScale: number): number => ms / timeScale;

/**
 * A cancellable sleep of any length (chained timers beyond Node's 24.8-day limit).
 * `cancel()` clears the timer; the promise then never settles (the caller settles its own).
 */
export const longSleep = (ms: number): { done: Promise<void>; cancel: () => void } => {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const done = new Promise<void>((resolve) => {
    const end = Date.now() + Math.max(0, ms);
    const arm = () => {
      if (cancelled) return;
      const left = end - Date.now();
      if (left <= 0) return resolve();
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    },
  };
};
