import { z } from 'zod';

/**
 * The review half of the electronegativity gate: pure functions over the scanner's findings and
 * the reviewed allow-list (scripts/electronegativity.allowlist.json), so the policy is unit-tested
 * without running the scanner. The runner is scripts/electronegativity.ts.
 */

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One finding as electronegativity's runner returns it (only the fields the gate reads). */
export const FindingSchema = z.object({
  id: z.string().min(1),
  /** Relative to the scanned folder, or "N/A" for a global check. */
  file: z.string(),
  location: z.object({ line: z.number().int(), column: z.number().int() }),
  description: z.string(),
  severity: z.object({ name: z.enum(SEVERITIES) }),
  confidence: z.object({ name: z.string() }),
  manualReview: z.boolean().optional(),
});
export type Finding = z.output<typeof FindingSchema>;

export const ScanResultSchema = z.object({
  globalChecks: z.number().int(),
  atomicChecks: z.number().int(),
  errors: z.array(z.object({ file: z.string(), message: z.string(), tolerable: z.boolean() })),
  issues: z.array(FindingSchema),
});
export type ScanResult = z.output<typeof ScanResultSchema>;

/** A reason must say what protects the app instead; a word or two is not a review. */
const Reason = z.string().trim().min(40, 'a reason must explain what protects the app instead (40 characters at least)');

const ReviewedExceptionSchema = z
  .object({
    check: z.string().regex(/^[A-Z0-9_]+$/, 'check ids look like OPEN_EXTERNAL_JS_CHECK'),
    /** The finding's file relative to the repository, or null for a global check (file "N/A"). */
    file: z.string().min(1).nullable(),
    reason: Reason,
    /** Where a test proves the protection the reason names. */
    provenBy: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type ReviewedException = z.output<typeof ReviewedExceptionSchema>;

const SkippedCheckSchema = z
  .object({
    /** electronegativity's class name, e.g. AvailableSecurityFixesGlobalCheck. */
    check: z.string().regex(/^[A-Za-z0-9]+Check$/, 'skipped checks are named by class, e.g. AvailableSecurityFixesGlobalCheck'),
    reason: Reason,
    provenBy: z.array(z.string().min(1)).min(1),
  })
  .strict();

export const AllowListSchema = z
  .object({
    reviewedBy: z.string().min(1),
    reviewedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    skippedChecks: z.array(SkippedCheckSchema),
    exceptions: z.array(ReviewedExceptionSchema),
  })
  .strict();
export type AllowList = z.output<typeof AllowListSchema>;

export class AllowListError extends Error {
  constructor(issues: readonly string[]) {
    super(`the electronegativity allow-list is invalid:\n  ${issues.join('\n  ')}`);
    this.name = 'AllowListError';
  }
}

/** Parses the allow-list file's JSON; every problem is named by its path in the file. */
export function parseAllowList(json: unknown): AllowList {
  const parsed = AllowListSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new AllowListError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
}

export interface Review {
  /** Findings nobody reviewed, of any severity: the gate fails on any (see reviewFindings). */
  blocking: Finding[];
  /** Findings matched by a reviewed exception, with it. */
  reviewed: { finding: Finding; exception: ReviewedException }[];
  /** Exceptions that matched nothing: the code changed, the entry should go. */
  stale: ReviewedException[];
  /** Files the scanner could not parse: they were not scanned, so the gate fails. */
  unparsed: { file: string; message: string }[];
}

/**
 * Sorts the findings against the allow-list. Every unreviewed finding blocks, not only HIGH ones:
 * the scanner rates an explicit `nodeIntegration: true` INFORMATIONAL (it rates HIGH only a
 * missing flag under its Electron-10 defaults), so a HIGH-only gate would let the worst setting
 * through. An exception covers its check in its file, at any line so that edits elsewhere in the
 * file keep the review, and never the same check in another file.
 */
export function reviewFindings(scan: ScanResult, allowList: AllowList): Review {
  const used = new Set<ReviewedException>();
  const review: Review = { blocking: [], reviewed: [], stale: [], unparsed: [] };
  for (const finding of scan.issues) {
    const exception = allowList.exceptions.find((e) => e.check === finding.id && (e.file ?? 'N/A') === finding.file);
    if (exception) {
      used.add(exception);
      review.reviewed.push({ finding, exception });
    } else {
      review.blocking.push(finding);
    }
  }
  review.stale = allowList.exceptions.filter((e) => !used.has(e));
  review.unparsed = scan.errors.filter((e) => !e.tolerable).map(({ file, message }) => ({ file, message }));
  return review;
}

export function gatePasses(review: Review): boolean {
  return review.blocking.length === 0 && review.unparsed.length === 0;
}

/** The finding list as printed by the gate (and pasted into docs/security.md). */
export function formatReview(review: Review, scan: ScanResult, allowList: AllowList): string {
  const where = (f: Finding) => (f.file === 'N/A' ? '(whole app)' : `${f.file}:${f.location.line}`);
  const line = (f: Finding) => `${f.id} [${f.severity.name}/${f.confidence.name}] ${where(f)} — ${f.description}`;
  const out: string[] = [
    `electronegativity: ${scan.atomicChecks} atomic + ${scan.globalChecks} global checks run; ` +
      `skipped: ${allowList.skippedChecks.map((s) => s.check).join(', ') || 'none'}`,
    `findings: ${scan.issues.length} (unreviewed, blocking: ${review.blocking.length}; reviewed: ${review.reviewed.length})`,
  ];
  for (const f of review.blocking) out.push(`  BLOCKING   ${line(f)}`);
  for (const { finding, exception } of review.reviewed) {
    out.push(`  reviewed   ${line(finding)}`, `             why: ${exception.reason}`);
  }
  for (const e of review.stale) out.push(`  stale allow-list entry (matches nothing any more): ${e.check} in ${e.file ?? '(whole app)'}`);
  for (const e of review.unparsed) out.push(`  NOT SCANNED ${e.file}: ${e.message}`);
  out.push(gatePasses(review) ? 'electronegativity: passed' : 'electronegativity: FAILED');
  return out.join('\n');
}
