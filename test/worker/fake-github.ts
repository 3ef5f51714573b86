/**
 * A fake GitHub REST API for the GitHub tests, served through the same `fetch` interface the
 * worker's client calls (injected into the queue job). It checks what GitHub checks — the App JWT
 * against the App's public key (derived from the test key in GITHUB_APP_PRIVATE_KEY), installation
 * tokens on every repository call, at most 50 annotations per check-run request — and records
 * every request so tests can assert what was fetched and written.
 */
import { env } from "cloudflare:workers";
import { exportJWK, importJWK, importPKCS8, jwtVerify, type JWTPayload } from "jose";

export interface FakeFile {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  sha: string;
  patch?: string;
}

interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  details_url?: string;
  output?: { title: string; summary: string };
  annotations: Array<Record<string, unknown>>;
}

export interface Recorded {
  method: string;
  path: string;
  authorization: string;
  body?: Record<string, unknown>;
}

/** The App's public key, as GitHub holds it: derived from the private key the worker signs with. */
export async function appPublicKey(): Promise<CryptoKey> {
  const priv = await importPKCS8(env.GITHUB_APP_PRIVATE_KEY!, "RS256", { extractable: true });
  const { kty, n, e } = await exportJWK(priv);
  return (await importJWK({ kty, n, e }, "RS256")) as CryptoKey;
}

export class FakeGithub {
  readonly requests: Recorded[] = [];
  readonly checkRuns = new Map<number, CheckRun>();
  readonly jwts: JWTPayload[] = [];
  readonly blobs = new Map<string, string>();
  readonly pullFiles = new Map<number, FakeFile[]>();
  readonly comparisons = new Map<string, FakeFile[]>();
  /** Answers queued for the next requests whose path matches, before normal handling. */
  private readonly overrides: Array<{ match: RegExp; response: () => Response }> = [];
  private tokens = new Set<string>();
  private nextId = 1;

  /** A blob holding `content`; returns its sha. */
  blob(content: string): string {
    const sha = (this.nextId++).toString(16).padStart(40, "0");
    this.blobs.set(sha, content);
    return sha;
  }

  /** The next request whose path matches `match` gets `response` instead. */
  answerNext(match: RegExp, response: () => Response): void {
    this.overrides.push({ match, response });
  }

  requestsTo(method: string, pattern: RegExp): Recorded[] {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path));
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== "https://api.github.com") return new Response("unexpected host", { status: 599 });
    const text = await request.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const path = url.pathname + url.search;
    const authorization = request.headers.get("authorization") ?? "";
    this.requests.push({ method: request.method, path, authorization, body });
    const override = this.overrides.findIndex((o) => o.match.test(path));
    if (override >= 0) return this.overrides.splice(override, 1)[0]!.response();
    return this.route(request.method, url, authorization, body);
  };

  private async route(method: string, url: URL, authorization: string, body?: Record<string, unknown>): Promise<Response> {
    const p = url.pathname;
    const token = /^POST \/app\/installations\/(\d+)\/access_tokens$/.exec(`${method} ${p}`);
    if (token) {
      try {
        const { payload } = await jwtVerify(authorization.replace(/^Bearer /, ""), await appPublicKey(), { algorithms: ["RS256"] });
        this.jwts.push(payload);
      } catch {
        return Response.json({ message: "A JSON web token could not be decoded" }, { status: 401 });
      }
      const issued = `ghs_test${this.nextId++}`;
      this.tokens.add(issued);
      return Response.json({ token: issued, expires_at: new Date(Date.now() + 3_600_000).toISOString() }, { status: 201 });
    }
    if (!this.tokens.has(authorization.replace(/^token /, ""))) return Response.json({ message: "Bad credentials" }, { status: 401 });

    const pulls = /^\/repos\/acme\/payments\/pulls\/(\d+)\/files$/.exec(p);
    if (pulls && method === "GET") {
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      return Response.json((this.pullFiles.get(Number(pulls[1])) ?? []).slice((page - 1) * perPage, page * perPage));
    }
    const compare = /^\/repos\/acme\/payments\/compare\/(.+)$/.exec(p);
    if (compare && method === "GET") {
      const files = this.comparisons.get(decodeURIComponent(compare[1]!));
      return files ? Response.json({ status: "ahead", files: files.slice(0, 300) }) : Response.json({ message: "Not Found" }, { status: 404 });
    }
    const blob = /^\/repos\/acme\/payments\/git\/blobs\/([0-9a-f]+)$/.exec(p);
    if (blob && method === "GET") {
      const content = this.blobs.get(blob[1]!);
      if (content === undefined) return Response.json({ message: "Not Found" }, { status: 404 });
      const bytes = new TextEncoder().encode(content);
      return Response.json({
        sha: blob[1],
        size: bytes.byteLength,
        encoding: "base64",
        content: btoa(String.fromCharCode(...bytes)).replace(/(.{60})/g, "$1\n"),
      });
    }
    if (p === "/repos/acme/payments/check-runs" && method === "POST") {
      const annotations = (body?.output as { annotations?: unknown[] } | undefined)?.annotations ?? [];
      if (annotations.length > 50) return Response.json({ message: "Only 50 annotations are allowed per request" }, { status: 422 });
      const run: CheckRun = {
        id: this.nextId++,
        name: String(body?.name),
        head_sha: String(body?.head_sha),
        status: String(body?.status ?? "queued"),
        annotations: [],
      };
      this.checkRuns.set(run.id, run);
      return Response.json({ id: run.id, status: run.status }, { status: 201 });
    }
    const update = /^\/repos\/acme\/payments\/check-runs\/(\d+)$/.exec(p);
    if (update && method === "PATCH") {
      const run = this.checkRuns.get(Number(update[1]));
      if (!run) return Response.json({ message: "Not Found" }, { status: 404 });
      const output = body?.output as { title: string; summary: string; annotations?: Array<Record<string, unknown>> } | undefined;
      if ((output?.annotations?.length ?? 0) > 50) return Response.json({ message: "Only 50 annotations are allowed per request" }, { status: 422 });
      if (body?.status) run.status = String(body.status);
      if (body?.conclusion) run.conclusion = String(body.conclusion);
      if (body?.details_url) run.details_url = String(body.details_url);
      if (output) {
        run.output = { title: output.title, summary: output.summary };
        run.annotations.push(...(output.annotations ?? []));
      }
      return Response.json({ id: run.id, status: run.status });
    }
    return Response.json({ message: "Not Found" }, { status: 404 });
  }
}
