import type { ServiceHealthDto } from '@hydra/contracts';

/** A probe that does not answer within this is reported unreachable. */
export const HEALTH_TIMEOUT_MS = 1000;

/** Health bodies are small JSON; anything longer is an error page and is cut. */
const MAX_TEXT_BODY = 2000;

/** GETs `<baseUrl>/health`; never throws, so one dead service cannot fail the status page. */
export async function probeServiceHealth(
  name: string,
  baseUrl: string,
  timeoutMs = HEALTH_TIMEOUT_MS,
): Promise<ServiceHealthDto> {
  const url = `${baseUrl.replace(/\/+$/, '')}/health`;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return {
      name,
      url,
      status: response.ok ? 'up' : 'down',
      httpStatus: response.status,
      latencyMs: elapsed(),
      body: parseBody(text),
      error: response.ok ? null : `${url} answered ${response.status}`,
    };
  } catch (error) {
    // A DOMException from AbortSignal.timeout is not always `instanceof Error` (other realms, jest).
    const {
      name: kind,
      message,
      cause,
    } = (error ?? {}) as { name?: string; message?: string; cause?: { message?: string } };
    const timedOut = kind === 'TimeoutError';
    const reason = cause?.message ?? message ?? String(error);
    return {
      name,
      url,
      status: 'unreachable',
      httpStatus: null,
      latencyMs: elapsed(),
      body: null,
      error: timedOut ? `no answer from ${url} within ${timeoutMs} ms` : `${url}: ${reason}`,
    };
  }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.length > MAX_TEXT_BODY ? `${text.slice(0, MAX_TEXT_BODY)}…` : text;
  }
}
