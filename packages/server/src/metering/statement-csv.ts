import type { StatementDocument } from './statement.ts';

/** The columns of every row, in order (docs/adr/0008-billing.md). */
export const STATEMENT_CSV_COLUMNS = [
  'month',
  'tenant_id',
  'plan',
  'status',
  'line',
  'meter',
  'unit',
  'tier',
  'from',
  'up_to',
  'quantity',
  'unit_price_usd',
  'per',
  'amount_usd',
] as const;
type Column = (typeof STATEMENT_CSV_COLUMNS)[number];
type CsvRow = Partial<Record<Column, string | number | null>>;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const field = (value: string | number | null | undefined): string => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * The statement as CSV: a header row, then the base price, each meter's allowance, tiers and
 * total, and the grand total, all with the same columns; CRLF line ends. A pure function of the
 * document, so a stored statement's CSV is always the same bytes.
 */
export function renderStatementCsv(doc: StatementDocument): string {
  const common = { month: doc.month, tenant_id: doc.tenant.id, plan: doc.plan, status: doc.status };
  const rows: CsvRow[] = [];
  for (const line of doc.lines) {
    if (line.type === 'base') {
      rows.push({ ...common, line: 'base', amount_usd: line.amountUsd });
      continue;
    }
    const meter = { ...common, meter: line.meter, unit: line.unit };
    rows.push({
      ...meter,
      line: 'included',
      from: 0,
      up_to: line.included,
      quantity: line.includedApplied,
      amount_usd: '0.000000',
    });
    for (const tier of line.tiers) {
      rows.push({
        ...meter,
        line: 'tier',
        tier: tier.tier,
        from: tier.from,
        up_to: tier.upTo,
        quantity: tier.quantity,
        unit_price_usd: tier.unitPriceUsd,
        per: line.per,
        amount_usd: tier.amountUsd,
      });
    }
    rows.push({ ...meter, line: 'meter_total', quantity: line.quantity, amount_usd: line.amountUsd });
  }
  rows.push({ ...common, line: 'total', amount_usd: doc.totals.totalUsd });
  const lines = [
    STATEMENT_CSV_COLUMNS.join(','),
    ...rows.map((row) => STATEMENT_CSV_COLUMNS.map((column) => field(row[column])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** The file name a download gets: shoal-statement-<tenant id>-<month>.csv. */
export const statementFileName = (doc: StatementDocument, ext: 'csv' | 'json'): string =>
  `shoal-statement-${doc.tenant.id}-${doc.month}.${ext}`;
