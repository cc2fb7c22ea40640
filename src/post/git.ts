import path from 'node:path';

/** What `--git` did, for the summary. */
export interface GitOutcome {
  done: 'committed' | 'initialized' | 'skipped';
  note?: string;
}

/**
 * `git init` and a first commit, like `cargo new` but with the commit. Skipped inside an existing
 * repository (as `cargo new` does), and the commit is left to the user when git has no identity
 * configured: committing under an invented author would be wrong.
 */
export async function gitInit(dir: string): Promise<GitOutcome> {
  const { execa } = await import('execa');
  const git = (args: string[], cwd = dir) => execa('git', args, { cwd, reject: false });

  const version = await git(['--version']);
  if (version.failed) return { done: 'skipped', note: 'git was not found, so no repository was created' };
  const inside = await git(['rev-parse', '--is-inside-work-tree'], path.dirname(dir));
  if (inside.stdout.trim() === 'true') {
    return { done: 'skipped', note: 'the directory is inside a git repository already, so git init was skipped' };
  }

  for (const args of [['init', '-q'], ['add', '-A']]) {
    const result = await git(args);
    if (result.failed) return { done: 'skipped', note: `git ${args[0]} failed: ${result.stderr.trim()}` };
  }
  const email = await git(['config', 'user.email']);
  if (email.stdout.trim() === '') {
    return {
      done: 'initialized',
      note: 'git has no user.email configured, so the files are staged but not committed',
    };
  }
  const commit = await git(['commit', '-q', '-m', 'Initial commit from create-rust-async']);
  if (commit.failed) return { done: 'initialized', note: `git commit failed: ${commit.stderr.trim()}` };
  return { done: 'committed' };
}
