import { ConfigError } from '../services/config/index.ts';
import { KeyProtectionError } from '../services/security/index.ts';

/** No configuration file was named; see configPathFrom. */
export class MissingConfigError extends Error {
  constructor() {
    super('no configuration file given');
    this.name = 'MissingConfigError';
  }
}

export interface StartupErrorText {
  title: string;
  message: string;
}

/**
 * Turns a startup failure into what the clinician (or the IT person they call) can act on.
 * Known, typed failures get a specific explanation; anything else still gets its message and
 * the hint where the log is, so the app never ends as a blank window.
 */
export function describeStartupError(error: unknown): StartupErrorText {
  if (error instanceof MissingConfigError) {
    return {
      title: 'Huizhen: no configuration',
      message:
        'Huizhen was started without a configuration file.\n\n' +
        'Start it with "npm start" (which runs the demo hospital), pass --config <file>, ' +
        'or set the HUIZHEN_CONFIG environment variable to the path of your hospital configuration.',
    };
  }
  if (error instanceof ConfigError) {
    return {
      title: 'Huizhen: configuration problem',
      message: `The configuration file has a problem:\n\n${error.message}\n\nCorrect the file and start Huizhen again.`,
    };
  }
  if (error instanceof KeyProtectionError) {
    const detail: Record<KeyProtectionError['code'], string> = {
      unavailable: 'The operating system key store is not available, so the local cache cannot be opened safely.',
      'insecure-backend':
        'No OS keyring was found. Without one, patient data in the local cache could not be protected, ' + 'so Huizhen will not start.',
      'unprotect-failed':
        'The key store changed (another user, a new keyring, or a restored profile), so the local cache ' +
        'cannot be opened. Cached data can be discarded and fetched again from the hospital systems.',
    };
    return {
      title: 'Huizhen: key store problem',
      message: `${detail[error.code]}\n\n${error.message}\n(backend: ${error.backendName})`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    title: 'Huizhen could not start',
    message: `${message}\n\nCheck the configuration file and the workstation log, then start Huizhen again.`,
  };
}
