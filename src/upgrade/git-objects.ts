import { contentOf } from '../render/binary.js';

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
