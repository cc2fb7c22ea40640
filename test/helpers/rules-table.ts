/** A row of a generated README's rules table, as read back from the Markdown. */
export interface ReadmeRuleRow {
  rule: string;
  file: string;
  test: string;
  testFile: string;
  /** The test is the rustdoc example of the item `test`. */
  doc: boolean;
}

/**
 * Reads the rules table of a generated README (the table under `## Rust async rules`): one entry
 * per row that names a file, with the rule of the row above when its own rule cell is empty, and
 * the rules whose row has a dash.
 */
export function readRulesTable(readme: string): { rows: ReadmeRuleRow[]; rules: string[]; missing: string[] } {
  const section = readme.split('\n## Rust async rules\n')[1]?.split('\n## ')[0] ?? '';
  const lines = section.split('\n').filter((line) => line.startsWith('| '));
  const rows: ReadmeRuleRow[] = [];
  const rules: string[] = [];
  const missing: string[] = [];
  let rule = '';
  for (const line of lines.slice(2)) {
    const [ruleCell, fileCell, testCell] = line.slice(2, -2).split(' | ').map((cell) => cell.trim()) as [string, string, string];
    if (ruleCell) {
      rule = ruleCell;
      rules.push(rule);
    }
    if (fileCell === '—') {
      missing.push(rule);
      continue;
    }
    const file = /^`([^`]+)`$/.exec(fileCell)?.[1];
    const doc = /^example of `(\w+)`$/.exec(testCell);
    const test = /^`(\w+)`(?: in `([^`]+)`)?$/.exec(testCell);
    if (!file || !(doc || test)) throw new Error(`unreadable rules table row: ${line}`);
    rows.push(
      doc
        ? { rule, file, test: doc[1] as string, testFile: file, doc: true }
        : { rule, file, test: test?.[1] as string, testFile: test?.[2] ?? file, doc: false },
    );
  }
  return { rows, rules, missing };
}
