// Test helper: renders rows the way kubectl 1.32 prints a server-side Table (upper-cased headers,
// priority-1 columns only with -o wide, tabwriter minwidth 6 / padding 3, last column unpadded).
import type { KubeObject } from '../objects.js';
import type { TablePrinter } from './printer.js';

export function render(printer: TablePrinter, objects: KubeObject[], now: Date, opts: { wide?: boolean } = {}): string {
  const keep = printer.columns.map((c) => opts.wide || c.priority === 0);
  const rows = [printer.columns.map((c) => c.name.toUpperCase()), ...objects.map((o) => printer.cells(o, now).map((v) => (v === null || v === undefined ? '' : String(v))))].map(
    (r) => r.filter((_, i) => keep[i]),
  );
  const widths = rows[0]!.map((_, i) => Math.max(6, ...rows.map((r) => r[i]!.length + 3)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('')).join('\n');
}
