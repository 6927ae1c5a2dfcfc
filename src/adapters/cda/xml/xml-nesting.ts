/**
 * How deep elements nest, found in one linear pass over the text before any parser sees it.
 * Every walker above the XML layer (narrative rendering, sections, entries, text collection) may
 * then recurse without a stack-overflow risk, and xmldom itself is spared the quadratic cost of
 * thousands of nested namespace scopes (each inherits from its parent's prototype).
 *
 * This scan only counts; well-formedness is xmldom's job. It is conservative where the text is
 * malformed (an unterminated comment or tag ends the scan: the parser will refuse the text).
 */

/**
 * The deepest element nesting Huizhen reads. Real documents stay far below it: a C-CDA result
 * with nested entryRelationships, or a narrative with tables in tables, reaches 30–40 levels;
 * a SOAP envelope adds 3. Above it a document is refused as over a limit, not parsed.
 */
export const MAX_XML_DEPTH = 128;

const GT = 0x3e;
const BANG = 0x21;
const QUESTION = 0x3f;
const SLASH = 0x2f;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** Index just past the `>` closing a start tag that opens at `from`, quotes respected; -1 if none. */
function endOfStartTag(text: string, from: number): number {
  let quote = 0;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === DQUOTE || c === SQUOTE) {
      quote = c;
    } else if (c === GT) {
      return j;
    }
  }
  return -1;
}

/** Where markup that starts at `at` with `<!` or `<?` ends (index of its last character); -1 if unterminated. */
function endOfDeclaration(text: string, at: number): number {
  if (text.startsWith('<!--', at)) {
    const end = text.indexOf('-->', at + 4);
    return end < 0 ? -1 : end + 2;
  }
  if (text.startsWith('<![CDATA[', at)) {
    const end = text.indexOf(']]>', at + 9);
    return end < 0 ? -1 : end + 2;
  }
  if (text.charCodeAt(at + 1) === QUESTION) {
    const end = text.indexOf('?>', at + 2);
    return end < 0 ? -1 : end + 1;
  }
  return text.indexOf('>', at + 2);
}

/**
 * The offset of the first start tag nested deeper than `limit`, or undefined when none is.
 * Linear: every character is looked at once at most.
 */
export function firstTagDeeperThan(text: string, limit: number = MAX_XML_DEPTH): number | undefined {
  let depth = 0;
  let at = text.indexOf('<');
  while (at >= 0) {
    const next = text.charCodeAt(at + 1);
    let end: number;
    if (next === BANG || next === QUESTION) {
      end = endOfDeclaration(text, at);
    } else if (next === SLASH) {
      depth = Math.max(0, depth - 1);
      end = text.indexOf('>', at + 2);
    } else {
      end = endOfStartTag(text, at + 1);
      if (end >= 0 && text.charCodeAt(end - 1) !== SLASH) {
        depth += 1;
        if (depth > limit) return at;
      }
    }
    if (end < 0) return undefined;
    at = text.indexOf('<', end + 1);
  }
  return undefined;
}

/** 1-based line of an offset, for messages that point hospital IT at the spot. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}
