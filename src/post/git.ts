import type { TargetState } from '../apply/target.js';
import { CliError } from '../errors.js';

/**
 * Like `cargo fix`: refuse to change a project with uncommitted work, so the change `command`
 * makes is reviewable on its own (and undoable with git). Outside a repository there is nothing
 * to protect against.
 */
export async function assertClean(root: string, command: string): Promise<void> {
  const { execa } = await import('execa');
  const status = await execa('git', ['status', '--porcelain', '--', '.'], { cwd: root, reject: false });
  if (status.failed) return;
  if (status.stdout.trim() !== '') {
    throw new CliError(
      `${root} has uncommitted changes`,
      `Commit or stash them first so the change ${command} makes is easy to review, or pass --allow-dirty`,
    );
  }
}

/** What `--git` did, for the summary. */
export interface GitOutcome {
  done: 'committed' | 'initialized' | 'skipped';
  note?: string;
}

/**
 * `git init` and a first commit, like `cargo new` but with the commit. Only a directory that was
 * new or empty gets either: a commit in a directory that already held files (`--force`) would
 * record the user's files, work in progress included, under our message. Inside any existing
 * repository (the target itself or a parent) nothing is initialised or committed, as `cargo new`
 * does; the user's repository and index are theirs. Without a configured identity the files are
 * staged but not committed: committing under an invented author would be wrong.
 */
export async function gitInit(dir: string, state: TargetState): Promise<GitOutcome> {
  const { execa } = await import('execa');
  const git = (args: string[]) => execa('git', args, { cwd: dir, reject: false });

  const version = await git(['--version']);
  if (version.failed) return { done: 'skipped', note: 'git was not found, so no repository was created' };
  // Asked from the target itself, so a target that is a repository counts as well as a parent.
  const inside = await git(['rev-parse', '--is-inside-work-tree']);
  if (inside.stdout.trim() === 'true') {
    return { done: 'skipped', note: 'the directory is inside a git repository already, so git init and the first commit were skipped' };
  }
  if (state === 'non-empty') {
    return { done: 'skipped', note: 'the directory already held files, so no git repository was created (run git init yourself)' };
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
