/** The route table as API Gateway matches it: literal segments before parameters, `{proxy+}` last, the most specific route wins. */
import { routeKey, type RouteDef } from '../../../../shared/http/routes';

export interface CompiledRoute {
  route: RouteDef;
  key: string;
  segments: { literal?: string; param?: string; greedy?: boolean }[];
}

const compile = (route: RouteDef): CompiledRoute => ({
  route,
  key: routeKey(route),
  segments: route.path
    .split('/')
    .slice(1)
    .map((s) => {
      const m = /^\{([A-Za-z0-9_]+)(\+)?\}$/.exec(s);
      return m ? { param: m[1]!, ...(m[2] ? { greedy: true } : {}) } : { literal: s };
    }),
});

export interface Match {
  compiled: CompiledRoute;
  params: Record<string, string>;
  /** Per segment: 2 literal, 1 parameter, 0 greedy; compared left to right, the most specific route wins. */
  score: number[];
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const matchPath = (compiled: CompiledRoute, rawSegments: string[]): Match | undefined => {
  const params: Record<string, string> = {};
  const score: number[] = [];
  const segs = compiled.segments;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (seg.greedy) {
      const rest = rawSegments.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[seg.param!] = decode(rest.join('/'));
      score.push(0);
      return { compiled, params, score };
    }
    const raw = rawSegments[i];
    if (raw === undefined) return undefined;
    if (seg.literal !== undefined) {
      if (decode(raw) !== seg.literal) return undefined;
      score.push(2);
    } else {
      if (raw === '') return undefined;
      params[seg.param!] = decode(raw);
      score.push(1);
    }
  }
  return rawSegments.length === segs.length ? { compiled, params, score } : undefined;
};

const moreSpecific = (a: Match, b: Match): boolean => {
  for (let i = 0; i < Math.max(a.score.length, b.score.length); i++) {
    const x = a.score[i] ?? -1;
    const y = b.score[i] ?? -1;
    if (x !== y) return x > y;
  }
  return false;
};

/** The route for method + raw path (as sent, still percent-encoded), or undefined. */
export const createRouter = (routes: readonly RouteDef[]) => {
  const compiled = routes.map(compile);
  return (method: string, rawPath: string): Match | undefined => {
    const rawSegments = rawPath.split('/').slice(1);
    let best: Match | undefined;
    for (const c of compiled) {
      if (c.route.method !== method) continue;
      const m = matchPath(c, rawSegments);
      if (m && (!best || moreSpecific(m, best))) best = m;
    }
    return best;
  };
};

/** The methods some route takes at a raw path, sorted (for a 405's Allow); none when no route has the path. */
export const createMethodLister = (routes: readonly RouteDef[]) => {
  const compiled = routes.map(compile);
  return (rawPath: string): string[] => {
    const rawSegments = rawPath.split('/').slice(1);
    return [...new Set(compiled.filter((c) => matchPath(c, rawSegments)).map((c) => c.route.method))].sort();
  };
};
