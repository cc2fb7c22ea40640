import { RULES, type RuleId } from '../catalog/rules.js';
import type { RuleRow } from '../catalog/types.js';

/** How the Test cell names a row's test. */
function testCell(row: RuleRow): string {
  if (row.doc) return `example of \`${row.test}\``;
  return row.testFile ? `\`${row.test}\` in \`${row.testFile}\`` : `\`${row.test}\``;
}

/**
 * The README's rules table: every rule, in the rules' order, with the rows that hold for this crate
 * (the rule's text on its first row only), or a dash where none of the chosen parts shows it. Laid
 * out as prettier lays out a Markdown table (cells padded to their column's width), since the
 * rendered README must be prettier-clean as written. Every cell is ASCII or a dash, one column each.
 */
export function rulesTable(rows: readonly RuleRow[]): string {
  const lines: string[][] = [['Rule', 'File', 'Test']];
  for (const [id, text] of Object.entries(RULES) as [RuleId, string][]) {
    const shown = rows.filter((row) => row.rule === id);
    const unique = shown.filter((row, i) => shown.findIndex((o) => o.file === row.file && o.test === row.test) === i);
    if (unique.length === 0) lines.push([text, '—', '—']);
    unique.forEach((row, i) => lines.push([i === 0 ? text : '', `\`${row.file}\``, testCell(row)]));
  }
  const widths = [0, 1, 2].map((column) => Math.max(3, ...lines.map((line) => [...(line[column] as string)].length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ')} |`;
  const [header, ...body] = lines as [string[], ...string[][]];
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...body.map(format)].join('\n');
}
