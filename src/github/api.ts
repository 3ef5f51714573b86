/**
 * A small GitHub REST client over `fetch` (injected, so tests serve a fake GitHub behind the same
 * interface): JSON in and out, GitHub's media type and API version, and its rate limits obeyed
 * (REFERENCE.md §13). When `x-ratelimit-remaining` reaches 0 the client stops calling until
 * `x-ratelimit-reset`; a 403/429 that is a rate limit (primary, or secondary with `retry-after`)
 * becomes GithubRateLimited with the seconds to wait, which the queue job turns into a delayed
 * re-queue instead of a failure. Other answers become GithubApiError, retryable only for 5xx.
 */

export const GITHUB_API = "https://api.github.com";

/**
 * The API path of a repository (`owner/name`, as the webhook payload names it).
 * @example repoPath("acme/payments") // "/repos/acme/payments"
 */
export const repoPath = (repository: string) => `/repos/${repository.split("/").map(encodeURIComponent).join("/")}`;

/** Seconds to wait on a secondary rate limit that names no time (GitHub: "at least one minute"). */
const SECONDARY_LIMIT_SECONDS = 60;

/** GitHub said to wait: re-queue the work after `retryAfterSeconds`. */
export class GithubRateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`GitHub's API rate limit was reached; retry in ${retryAfterSeconds} s.`);
    this.name = "GithubRateLimited";
  }
}

/** GitHub refused a request: a 5xx may pass on retry, a 4xx will not. */
export class GithubApiError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly status: number,
    method: string,
    path: string,
  ) {
    // The path is ours (owner/repo and ids GitHub sent), never the response body.
    super(`GitHub answered ${status} to ${method} ${path.split("?")[0]}.`);
    this.name = "GithubApiError";
    this.retryable = status >= 500;
  }
}

export interface GithubResponse<T> {
  data: T;
  headers: Headers;
}

export class GithubApi {
  /** Epoch ms before which no call is made: GitHub said the quota is used up. */
  private pausedUntil = 0;

  constructor(
    /** "Bearer <App JWT>" or "token <installation token>" (called per request: tokens expire). */
    private readonly authorization: () => Promise<string>,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
    private readonly now: () => number = Date.now,
  ) {}

  /** A JSON request; `body` is sent as JSON. */
  async request<T>(method: string, path: string, body?: unknown): Promise<GithubResponse<T>> {
    const res = await this.send(method, path, body);
    return { data: (await res.json()) as T, headers: res.headers };
  }

  /**
   * A JSON GET whose body is read only up to `maxBytes`: null past that (the stream is cancelled,
   * so a 100 MB blob never lands in memory).
   */
  async boundedJson<T>(path: string, maxBytes: number): Promise<T | null> {
    const res = await this.send("GET", path);
    const declared = Number(res.headers.get("content-length") ?? NaN);
    if (declared > maxBytes || !res.body) {
      await res.body?.cancel();
      return null;
    }
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    let seen = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += value.byteLength;
      if (seen > maxBytes) {
        await reader.cancel();
        return null;
      }
      chunks.push(value);
    }
    const all = new Uint8Array(seen);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    return JSON.parse(new TextDecoder().decode(all)) as T;
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const paused = Math.ceil((this.pausedUntil - this.now()) / 1000);
    if (paused > 0) throw new GithubRateLimited(paused);
    const res = await this.fetchFn(`${GITHUB_API}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "pci-auditor",
        authorization: await this.authorization(),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const remaining = res.headers.get("x-ratelimit-remaining");
    const resetAt = Number(res.headers.get("x-ratelimit-reset")) * 1000;
    if (remaining === "0" && resetAt > this.now()) this.pausedUntil = resetAt;
    if (res.ok) return res;
    // Error bodies are small JSON; read (and release) them either way. Never quoted: they may echo input.
    const message = await res.text().catch(() => "");
    const wait = res.status === 403 || res.status === 429 ? this.rateLimitWait(res, message, remaining, resetAt) : null;
    if (wait !== null) throw new GithubRateLimited(wait);
    throw new GithubApiError(res.status, method, path);
  }

  /** Seconds to wait when a 403/429 is a rate limit, or null when it is a refusal (permissions). */
  private rateLimitWait(res: Response, message: string, remaining: string | null, resetAt: number): number | null {
    const retryAfter = Number(res.headers.get("retry-after"));
    if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.ceil(retryAfter);
    if (remaining === "0") return Math.max(1, Math.ceil((resetAt - this.now()) / 1000));
    if (res.status === 429) return SECONDARY_LIMIT_SECONDS;
    return /rate limit/i.test(message) ? SECONDARY_LIMIT_SECONDS : null;
  }
}
