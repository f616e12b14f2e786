/**
 * Identifier validation. Every schema, table or column name that reaches SQL from config or from a caller
 * passes through here, so nothing user-supplied is ever spliced into a statement raw.
 */

/** A plain SQL identifier: a letter or underscore, then letters, digits or underscores, at most 63 chars. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Thrown when a name is not a safe identifier; the message names the value and where it came from. */
export class IdentifierError extends Error {
  constructor(value: unknown, where: string) {
    super(
      `${where}: ${JSON.stringify(value)} is not a valid identifier (letters, digits and _; must not start with a digit; at most 63 characters)`,
    );
    this.name = 'IdentifierError';
  }
}

/**
 * Returns `name` unchanged if it is a safe identifier, otherwise throws naming `where`.
 * @example assertIdentifier('stg_orders', 'model name') // 'stg_orders'
 */
export function assertIdentifier(name: unknown, where = 'identifier'): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) throw new IdentifierError(name, where);
  return name;
}

export function isIdentifier(name: unknown): name is string {
  return typeof name === 'string' && IDENTIFIER.test(name);
}
