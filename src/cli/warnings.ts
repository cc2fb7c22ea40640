/**
 * A flag that has no effect in this run is reported, never silently dropped: the user meant
 * something by it. On stderr, so `--json` output stays one object.
 */
export function warnIgnored(flag: string, why: string): void {
  process.stderr.write(`warning: ${flag} is ignored: ${why}\n`);
}
