/**
 * How deep elements nest and how many attributes each carries, found in one linear pass over the
 * text before any parser sees it. Every walker above the XML layer (narrative rendering,
 * sections, entries, text collection) may then recurse without a stack-overflow risk, and xmldom
 * itself is spared the quadratic cost of thousands of nested namespace scopes (each inherits from
 * its parent's) and the heavy per-attribute cost of attribute floods.
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

/**
 * The most attributes (namespace declarations included) one element may carry. CDA and HL7 v3
 * elements have a handful; a root element with every namespace a vendor uses has some twenty.
 */
export const MAX_XML_ATTRIBUTES = 256;

export interface LimitBreach {
  limit: 'depth' | 'attributes';
  /** Offset of the start tag that breaks it. */
  offset: number;
}

const GT = 0x3e;
const BANG = 0x21;
const QUESTION = 0x3f;
const SLASH = 0x2f;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const EQUALS = 0x3d;

/**
 * Where the start tag opening at `from` ends (the index of its `>`, quotes respected; -1 if
 * none) and how many attributes it has (each `=` outside quotes is one).
 */
function scanStartTag(text: string, from: number): { end: number; attributes: number } {
  let quote = 0;
  let attributes = 0;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === DQUOTE || c === SQUOTE) {
      quote = c;
    } else if (c === EQUALS) {
      attributes += 1;
    } else if (c === GT) {
      return { end: j, attributes };
    }
  }
  return { end: -1, attributes };
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
 * The first start tag nested deeper than `maxDepth` or carrying more than `maxAttributes`
 * attributes, or undefined when none does. Linear: every character is looked at once at most.
 */
export function findLimitBreach(
  text: string,
  maxDepth: number = MAX_XML_DEPTH,
  maxAttributes: number = MAX_XML_ATTRIBUTES,
): LimitBreach | undefined {
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
      const tag = scanStartTag(text, at + 1);
      end = tag.end;
      if (tag.attributes > maxAttributes) return { limit: 'attributes', offset: at };
      if (end >= 0 && text.charCodeAt(end - 1) !== SLASH) {
        depth += 1;
        if (depth > maxDepth) return { limit: 'depth', offset: at };
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
