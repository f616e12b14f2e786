/**
 * The shared HTTP client for API sources: p-queue for concurrency and rate, retries with backoff and jitter,
 * `Retry-After` and rate-limit headers honoured, secrets kept out of errors and logs.
 */
export {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
} from './client.js';
export { HttpError, MissingCredentialError, redact } from './http-error.js';
export { backoffDelay, isRetryableStatus, parseRetryAfter, rateLimitPause } from './retry-policy.js';
