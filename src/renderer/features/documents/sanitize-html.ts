/**
 * Sanitizes document HTML in the renderer with DOMPurify and the reader's policy. One private
 * DOMPurify instance carries the hooks, so nothing else in the app inherits them.
 */
import createDOMPurify, { type DOMPurify } from 'dompurify';
import { PURIFY_CONFIG, judgeAttribute, preStripInlineCode } from './sanitize-policy.ts';

let instance: DOMPurify | undefined;

function purifier(): DOMPurify {
  if (instance) return instance;
  const purify = createDOMPurify(window);
  purify.addHook('uponSanitizeAttribute', (_node, data) => {
    // Runs before DOMPurify's own checks; an attribute we reject can never be forced back in.
    const verdict = judgeAttribute(data.attrName, data.attrValue);
    data.forceKeepAttr = undefined;
    if (!verdict.keep) {
      data.keepAttr = false;
      return;
    }
    if (verdict.value !== undefined) data.attrValue = verdict.value;
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href');
    if (href && !href.startsWith('#')) {
      // External links leave the app (a new browsing context, no opener); never navigate it.
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
  });
  instance = purify;
  return purify;
}

/** The HTML as a detached fragment safe to insert; anything outside the policy is gone. */
export function sanitizeDocumentHtml(html: string): DocumentFragment {
  return purifier().sanitize(preStripInlineCode(html), PURIFY_CONFIG);
}
