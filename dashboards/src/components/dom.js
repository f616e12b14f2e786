// A tiny element builder, so components need neither the `html` global (it would load htl from a CDN)
// nor a template library.

/**
 * Creates an element with attributes and children. `class` sets className; other attributes are set as
 * strings; null/undefined attributes and children are skipped; strings and numbers become text nodes.
 * @example el('td', { class: 'num', 'data-metric': 'invited' }, '1,234')
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
