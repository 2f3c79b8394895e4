import * as routes from './routes';
import { ROUTES, type RouteDef } from './routes';

/** The module's exports that are route entries (the rest are types' companions: defaults, helpers, the table). */
const entries = (Object.entries(routes) as [string, unknown][]).filter((e): e is [string, RouteDef] => typeof e[1] === 'object' && e[1] !== null && 'handler' in e[1]);

describe('the route table', () => {
  it('holds every route entry the module declares, once, and nothing else', () => {
    expect(entries.length).toBeGreaterThan(20);
    expect(new Set(ROUTES).size).toBe(ROUTES.length);
    expect([...ROUTES].sort((a, b) => a.handler.localeCompare(b.handler))).toEqual(entries.map(([, r]) => r).sort((a, b) => a.handler.localeCompare(b.handler)));
    for (const [, r] of entries) expect({ handler: r.handler, inTable: ROUTES.includes(r) }).toEqual({ handler: r.handler, inTable: true });
  });

  it('names each entry as its handler, so `route: routes.<handler>` reads as the module it builds', () => {
    for (const [name, r] of entries) expect(r.handler).toBe(name);
  });
});
