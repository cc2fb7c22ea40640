import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The user cache of create-rust-async (tools installed on first use, compiled code):
 * `$CREATE_RUST_ASYNC_CACHE`, else the platform's cache folder (`$XDG_CACHE_HOME` or `~/.cache`
 * on Unix, `%LOCALAPPDATA%` on Windows).
 */
export function cacheRoot(): string {
  const env = process.env;
  if (env.CREATE_RUST_ASYNC_CACHE) return path.resolve(env.CREATE_RUST_ASYNC_CACHE);
  const base =
    process.platform === 'win32'
      ? (env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'))
      : (env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'));
  return path.join(base, 'create-rust-async');
}
