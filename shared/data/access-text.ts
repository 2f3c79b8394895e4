/**
 * Key text for the access patterns' rows (docs/access-patterns.md), from the same key builders
 * the code reads and writes with: a renamed prefix changes the document with the code.
 */
import type { ItemKey } from './entity';

export const code = (text: string): string => `\`${text}\``;

/** An item's key: `pk=…, sk=…`. */
export const keyText = (k: ItemKey): string => code(`pk=${k.pk}, sk=${k.sk}`);

/** A partition of the table: `pk=…`. */
export const partitionText = (pk: string): string => code(`pk=${pk}`);

/** A partition of an index: gsiN `…`. */
export const indexText = (index: 'gsi1' | 'gsi2' | 'gsi3', pk: string): string => `${index} ${code(pk)}`;
