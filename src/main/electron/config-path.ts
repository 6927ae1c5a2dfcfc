import path from 'node:path';

/**
 * The workstation configuration file: `--config <file>` or `--config=<file>` on the command
 * line, else the HUIZHEN_CONFIG environment variable. Relative paths are taken from `cwd`.
 * There is deliberately no fallback: the Electron main never starts the demo hospital on its
 * own (npm start does that and passes --config), so a missing config is a clear startup error.
 */
export function configPathFrom(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const fromArgs = configArgument(argv);
  const chosen = fromArgs ?? (env.HUIZHEN_CONFIG?.trim() || undefined);
  return chosen === undefined ? undefined : path.resolve(cwd, chosen);
}

function configArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config') {
      const next = argv[i + 1];
      return next !== undefined && next !== '' && !next.startsWith('--') ? next : undefined;
    }
    if (arg?.startsWith('--config=')) return arg.slice('--config='.length) || undefined;
  }
  return undefined;
}
