import type { QualityFinding } from '../../../shared/domain/quality.ts';

interface Node {
  next: Map<QualityFinding, Node> | undefined;
  list: readonly QualityFinding[] | undefined;
}

const node = (): Node => ({ next: undefined, list: undefined });

function step(from: Node, finding: QualityFinding): Node {
  let next = from.next?.get(finding);
  if (next === undefined) (from.next ??= new Map()).set(finding, (next = node()));
  return next;
}

/**
 * One frozen array per distinct list of (interned) findings: 15,000 entries with the same
 * implausible value and the same missing subject share one array instead of each allocating
 * its own — the garbage of those arrays was most of what the checks added to a large build.
 */
export class FindingLists {
  readonly #root = node();

  readonly #pairs = new Map<readonly QualityFinding[], Map<readonly QualityFinding[], QualityFinding[]>>();

  /**
   * The shared list of `head` (itself a shared list) followed by the first `count` findings of
   * `tail` (a reused buffer).
   */
  of(head: readonly QualityFinding[], tail: readonly QualityFinding[], count: number): QualityFinding[] {
    if (count === 0) return head as QualityFinding[];
    let at = this.#root;
    for (const f of head) at = step(at, f);
    for (let i = 0; i < count; i++) at = step(at, tail[i]!);
    at.list ??= Object.freeze([...head, ...tail.slice(0, count)]);
    return at.list as QualityFinding[];
  }

  /** Two shared lists joined (a merge of two records): two look-ups, not a walk of both. */
  joined(a: readonly QualityFinding[], b: readonly QualityFinding[]): QualityFinding[] {
    let byB = this.#pairs.get(a);
    if (byB === undefined) this.#pairs.set(a, (byB = new Map()));
    let both = byB.get(b);
    if (both === undefined) byB.set(b, (both = this.of(a, b, b.length)));
    return both;
  }
}
