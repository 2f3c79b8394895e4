/** For the local CLIs' listings (`npm run executions`, `npm run schedules`). */

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export const textTable = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

/** `2026-12-02 08:00:00Z`, or `-` for none. */
export const shortTime = (t: Date | string | undefined): string =>
  t
    ? new Date(t)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '-';
