import { z } from 'zod';

/**
 * Zod compiles fast parsers with `new Function` unless told not to. Under our CSP (no
 * 'unsafe-eval') that probe fails and, though zod swallows the error, Chromium still reports
 * a CSP violation. Imported first by main.tsx so it is set before any schema parses.
 */
z.config({ jitless: true });
