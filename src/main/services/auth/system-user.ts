import { userInfo } from 'node:os';

/**
 * Who acts when no one signs in (the CLI, the workstation's own start-up record): the
 * operating-system account running the workstation. userInfo() throws for accounts without a
 * passwd entry (some containers).
 */
export function defaultUserId(env: NodeJS.ProcessEnv = process.env): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // fall through to the environment
  }
  return env.USER || env.USERNAME || 'unknown-user';
}
