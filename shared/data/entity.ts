/**
 * What each kind of item in the table is, declared once beside the module that reads and
 * writes it: its `type`, its key (and the index keys it is filed under), the schema an item
 * read back must match, and how an object becomes an item. Reads parse, never cast: an item
 * that does not match is an InvalidItemError naming the entity and the key. The registry
 * (./entities.ts) lists them all; docs/access-patterns.md is written from it, access patterns
 * included. Writes stay explicit in the modules (conditional, in transactions): a declaration
 * only builds the item.
 */
import { CURRENCIES } from '../domain/money';
import * as z from '../schemas/zod';
import type { IndexId } from './table';

export type Item = Record<string, unknown>;
export type ItemKey = Record<'pk' | 'sk', string>;

/** An item read back (a Get, a Query, a stream image) that is not what its entity declares. */
export class InvalidItemError extends Error {
  constructor(entity: string, item: Item, issues: readonly z.core.$ZodIssue[]) {
    const where = issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`)
      .join('; ');
    super(`Invalid ${entity} item (pk ${String(item.pk)}, sk ${String(item.sk)}): ${where}`);
    this.name = 'InvalidItemError';
  }
}

/** The key attributes of the table and its indexes: never part of an entity's object. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'] as const;

type ObjectSchema = z.ZodMiniType<Record<string, unknown>>;

/** One way the code reads or writes an entity: a row of docs/access-patterns.md. */
export interface AccessPattern {
  pattern: string;
  /** The key, index and conditions, written with the key builders where practical (./access-text.ts). */
  key: string;
  operation: string;
}

type Listed = Partial<Record<IndexId, ObjectSchema>>;

export interface EntityDeclaration<S extends ObjectSchema, K extends unknown[], L extends Listed = Listed> {
  /** The item's `type` attribute (the stream filters and the document name items by it). */
  type: string;
  /** What the item is, for docs/access-patterns.md. */
  about: string;
  /** Its primary key. */
  key: (...args: K) => ItemKey;
  /**
   * An item read back: objects (zod's default) drop what they do not declare, so the key
   * attributes and `type` never reach the object.
   */
  schema: S;
  /** Everything an object is filed under (its key and index keys); with `schema`, object → item. */
  keys?: (o: z.output<S>) => Item;
  /** What an index with an INCLUDE projection holds of the item (./table.ts PROJECTIONS), by index. */
  listed?: L;
  /** Its keys written with placeholders, from the same builders: the document's row. */
  sample: () => Partial<Record<(typeof KEY_ATTRIBUTES)[number], string>>;
  /**
   * How it is read and written (the document's access patterns; built only for the document).
   * An entity without one says why in `noAccessPattern` (a test holds every entity to one of the two).
   */
  accessPatterns?: () => readonly AccessPattern[];
  /** Why the entity has no access pattern of its own (e.g. it is only ever read within another's). */
  noAccessPattern?: string;
}

export interface Entity<S extends ObjectSchema, K extends unknown[], L extends Listed = Listed> extends EntityDeclaration<S, K, L> {
  /** Item → object; throws InvalidItemError when the item does not match. */
  parse: (item: Item) => z.output<S>;
  /** An item read from `index`: only what the index projects. */
  parseListed: <I extends keyof L & IndexId>(index: I, item: Item) => z.output<NonNullable<L[I]>>;
  /** Object → item: its keys, its `type`, its fields. */
  item: (o: z.output<S>) => Item;
}

const parseWith = <S extends z.ZodMiniType>(entity: string, schema: S, item: Item): z.output<S> => {
  const out = schema.safeParse(item);
  if (!out.success) throw new InvalidItemError(entity, item, out.error.issues);
  return out.data;
};

export const entity = <S extends ObjectSchema, K extends unknown[], L extends Listed = Listed>(d: EntityDeclaration<S, K, L>): Entity<S, K, L> => ({
  ...d,
  parse: (item) => parseWith(d.type, d.schema, item),
  parseListed: (index, item) => parseWith(`${d.type} (listed on ${index})`, d.listed![index]!, item),
  item: (o) => ({ ...d.keys?.(o), type: d.type, ...o }),
});

/**
 * A compile-time check that a schema's output is the domain type exactly (the same keys, each
 * assignable both ways): a field added to the type but not to the schema would be dropped on
 * every read, so it fails the typecheck instead. Use: `sameShape<Output, Type>(true)`.
 */
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : false;
type Assignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const sameShape = <A, B>(ok: SameKeys<A, B> extends true ? (Assignable<A, B> extends true ? true : never) : never): boolean => ok;

/** Building blocks of the items' schemas: the stored shapes, without the checks the API's input gets (an item is what was once accepted). */
export const nullableString = z.nullable(z.string());
export const optionalNullable = <T extends z.core.SomeType>(t: T) => z.optional(z.nullable(t));
export const storedMoney = z.object({ amount: z.number(), currency: z.enum(CURRENCIES) });
