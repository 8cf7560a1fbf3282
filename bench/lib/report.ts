export type Row = Readonly<{
  section: string;
  metric: string;
  value: string;
  target?: string;
  /** null: no target for this figure */
  met?: boolean | null;
}>;

export type Target = Readonly<{
  name: string;
  target: string;
  value: number | null;
  met: boolean | null;
}>;

const pad = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - [...text].length));

/** A plain-text table, wide enough for its longest cells. */
export const renderTable = (rows: readonly Row[]): string => {
  const cells = [
    ['section', 'metric', 'value', 'target', 'met'],
    ...rows.map((r) => [
      r.section,
      r.metric,
      r.value,
      r.target ?? '',
      r.met === undefined || r.met === null ? '' : r.met ? 'yes' : 'NO',
    ]),
  ];
  const widths = [0, 1, 2, 3, 4].map((c) =>
    Math.max(...cells.map((row) => [...(row[c] ?? '')].length)),
  );
  const line = (row: string[]): string =>
    row
      .map((cell, c) => pad(cell, widths[c] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(cells[0] as string[]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
};

export const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      })
    : 'n/a';

export const triple = (a: number, b: number, c: number): string =>
  `${fmt(a, 1)} / ${fmt(b, 1)} / ${fmt(c, 1)}`;
