/**
 * The original XML as readable text: elements that hold only elements get one child per line,
 * indented by depth; an element holding any text (a value, a narrative paragraph) stays on one
 * line exactly as sent. Only whitespace between tags changes, never content. Pure string work:
 * the result is shown as text, never parsed as markup, so malformed input is simply shown as is.
 */
const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<![^>]*>|<\/[^>]*>|<[^>]*>|[^<]+|</g;

interface XmlNode {
  /** The start tag (or the whole token for text, comments, self-closing tags). */
  open: string;
  close?: string;
  children: XmlNode[];
  text: boolean;
}

function hasText(node: XmlNode): boolean {
  return node.children.some((c) => c.text && c.open.trim() !== '');
}

function verbatim(node: XmlNode): string {
  return node.open + node.children.map(verbatim).join('') + (node.close ?? '');
}

export function indentXml(xml: string, indent = '  '): string {
  const root: XmlNode = { open: '', children: [], text: false };
  const stack: XmlNode[] = [root];
  for (const [token] of xml.matchAll(TOKEN)) {
    const parent = stack[stack.length - 1]!;
    if (token.startsWith('</')) {
      if (stack.length > 1) {
        parent.close = token;
        stack.pop();
      } else {
        parent.children.push({ open: token, children: [], text: false });
      }
    } else if (token.startsWith('<') && token.length > 1 && !/^<[!?]/.test(token) && !token.endsWith('/>')) {
      const node: XmlNode = { open: token, children: [], text: false };
      parent.children.push(node);
      stack.push(node);
    } else {
      const isText = !token.startsWith('<') || token === '<' || token.startsWith('<![CDATA[');
      const last = parent.children[parent.children.length - 1];
      // A stray "<" splits the text into tokens: join them back into one run.
      if (isText && last?.text) last.open += token;
      else parent.children.push({ open: token, children: [], text: isText });
    }
  }
  const lines: string[] = [];
  const print = (node: XmlNode, depth: number): void => {
    if (node.text) {
      if (node.open.trim()) lines.push(indent.repeat(depth) + node.open);
      return;
    }
    if (node.children.length === 0 || hasText(node)) {
      lines.push(indent.repeat(depth) + verbatim(node));
      return;
    }
    lines.push(indent.repeat(depth) + node.open);
    for (const child of node.children) print(child, depth + 1);
    if (node.close) lines.push(indent.repeat(depth) + node.close);
  };
  for (const child of root.children) print(child, 0);
  return lines.join('\n');
}
