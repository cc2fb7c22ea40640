import { contentBytes, contentOf } from '../render/binary.js';

/**
 * Reads blobs from the git repository that holds `root`, by id, in one `git cat-file --batch`
 * (offline; the objects are the crate's own history). Ids git does not have are left out, as is
 * everything when `root` is in no repository or git is missing.
 */
export async function readBlobs(root: string, ids: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return found;
  const { execa } = await import('execa');
  const result = await execa('git', ['cat-file', '--batch'], { cwd: root, input: `${wanted.join('\n')}\n`, encoding: 'buffer', reject: false });
  if (result.failed) return found;
  const out = Buffer.from(result.stdout);
  let at = 0;
  // Each answer is "<id> <type> <size>\n<bytes>\n", or "<id> missing\n".
  while (at < out.length) {
    const end = out.indexOf(0x0a, at);
    if (end === -1) break;
    const [id, type, size] = out.subarray(at, end).toString('utf8').split(' ');
    at = end + 1;
    if (type === 'missing' || size === undefined) continue;
    const length = Number(size);
    if (type === 'blob' && id !== undefined) found.set(id, contentOf(out.subarray(at, at + length)));
    at += length + 1;
  }
  return found;
}

/**
 * The ref that keeps the template text of files the user edited reachable in the crate's
 * repository. Such text is never committed (the user's merged file is), so without it the next
 * upgrade could not read that base from git. The ref points at a tree (no commit, so no author is
 * needed) whose entries are named by blob id; it lives beside branches and tags, never changes the
 * work tree or the index, and `git gc` keeps what it reaches.
 */
export const BASES_REF = 'refs/create-rust-async/bases';

/**
 * Stores `texts` as blobs and adds them to `BASES_REF` (keeping what it held). Best effort: outside
 * a repository, or without git, nothing is stored and `false` is returned; the next upgrade then
 * renders the recorded source again for those files.
 */
export async function keepBlobs(root: string, texts: readonly string[]): Promise<boolean> {
  if (texts.length === 0) return true;
  const { execa } = await import('execa');
  const git = (args: string[], input?: string | Buffer) => execa('git', args, { cwd: root, input, reject: false });
  if ((await git(['rev-parse', '--is-inside-work-tree'])).stdout.trim() !== 'true') return false;
  const entries = new Set<string>();
  const held = await git(['ls-tree', BASES_REF]);
  if (!held.failed) for (const line of held.stdout.split('\n')) if (line !== '') entries.add(line);
  for (const text of new Set(texts)) {
    const stored = await git(['hash-object', '-w', '--stdin'], contentBytes(text));
    if (stored.failed) return false;
    const id = stored.stdout.trim();
    entries.add(`100644 blob ${id}\t${id}`);
  }
  const tree = await git(['mktree'], `${[...entries].join('\n')}\n`);
  if (tree.failed) return false;
  return !(await git(['update-ref', BASES_REF, tree.stdout.trim()])).failed;
}
