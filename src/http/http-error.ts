/**
 * The error an HTTP request ends with once it will not be retried, and the redaction that keeps secrets out
 * of it. Contract: an `HttpError` message names the method, the URL path (never the query string, which can
 * carry keys), the status, the attempts made and the server's own error message, with every secret the
 * client knows replaced by `[redacted]`.
 */

/** How much of a server's error message is kept: enough to act on, short enough for one log line. */
const MAX_SERVER_MESSAGE = 300;

export class HttpError extends Error {
  constructor(
    readonly method: string,
    /** URL path only, without query or credentials. */
    readonly path: string,
    /** HTTP status, or null when no response arrived (timeout, connection refused). */
    readonly status: number | null,
    readonly attempts: number,
    /** The server's error message (or the network error), already redacted and truncated. */
    readonly detail: string,
  ) {
    const what = status === null ? 'no response' : `HTTP ${status}`;
    super(`${method} ${path} failed with ${what} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${detail}`);
    this.name = 'HttpError';
  }
}

/** A credential the source needs is not set in the environment; the CLI reports it as a usage error (exit 2). */
export class MissingCredentialError extends Error {
  constructor(
    /** The environment variable to set, e.g. `STRIPE_API_KEY`. */
    readonly envVar: string,
    howTo: string,
  ) {
    super(`${envVar} is not set: ${howTo}`);
    this.name = 'MissingCredentialError';
  }
}

/** Replaces every occurrence of each secret (and its URL-encoded form) with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue; // too short to be a credential; replacing it would garble the message
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]');
  }
  return out;
}

/**
 * The human part of an error response body: HubSpot's `{ message }`, Stripe's `{ error: { message } }`,
 * else the body's text, redacted and truncated.
 */
export function serverMessage(body: string, secrets: readonly string[]): string {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const nested =
      typeof parsed.error === 'object' && parsed.error !== null
        ? (parsed.error as { message?: unknown }).message
        : null;
    if (typeof parsed.message === 'string') message = parsed.message;
    else if (typeof nested === 'string') message = nested;
    else if (typeof parsed.error === 'string') message = parsed.error;
  } catch {
    // not JSON: keep the text
  }
  message = redact(message.replace(/\s+/g, ' '), secrets);
  if (message === '') return '(empty response body)';
  return message.length > MAX_SERVER_MESSAGE ? `${message.slice(0, MAX_SERVER_MESSAGE)}...` : message;
}
