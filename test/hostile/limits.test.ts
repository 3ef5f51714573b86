/**
 * Hostile: limits stay exact when requests arrive all at once, whatever mix of good and bad
 * requests they are, and the daily byte quota is charged only for work actually started (issue
 * 11 item 7): not for a 400, a 413, a replay or a duplicate answer. Test policies
 * (vitest.config.ts): requests 40/60 s, bytes 1,000,000/day, ip 30/60 s, public 100/60 s. The
 * per-address policies count in aligned 60 s windows, so a burst is sent clear of a window's end.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createProject } from "../worker/helpers";
import { awayFromWindowEdge, bytesCharged, captureLogs, hostile, hostilePost, itLeavesNoCardDataOrSecrets, PANS } from "./harness";

const logs = captureLogs();

const statuses = (answers: Array<{ res: Response }>) => answers.map((a) => a.res.status);
const count = (list: number[], status: number) => list.filter((s) => s === status).length;

describe("the daily byte quota charges only accepted work (issue 11 item 7)", () => {
  let project: Awaited<ReturnType<typeof createProject>>;
  beforeAll(async () => {
    project = await createProject("Quota");
  });

  it("charges a new scan once, and nothing for a duplicate, a replay, a 400, a 413 or a refused Idempotency-Key", async () => {
    await awayFromWindowEdge(86_400);
    const scan = { files: [{ path: "a.js", content: "let a = 1;\n" }] };
    const bytes = new TextEncoder().encode(scan.files[0]!.content).byteLength;
    expect((await hostilePost("/v1/scans", project.headers, scan)).res.status).toBe(201);
    expect(await bytesCharged(project.projectId)).toBe(bytes);

    expect((await hostilePost("/v1/scans", project.headers, scan)).res.status).toBe(200);
    expect((await hostilePost("/v1/scans", project.headers, { files: [{ path: "b.js" }] })).res.status).toBe(400);
    expect(
      (await hostilePost("/v1/scans", project.headers, { files: Array.from({ length: 21 }, (_, i) => ({ path: `f${i}.js`, content: "x" })) })).res.status,
    ).toBe(413);
    expect((await hostilePost("/v1/scans", project.headers, scan, { "idempotency-key": `card-${PANS[0]}` })).res.status).toBe(400);
    expect(await bytesCharged(project.projectId)).toBe(bytes);

    const keyed = { files: [{ path: "k.js", content: "let k = 22;\n" }] };
    expect((await hostilePost("/v1/scans", project.headers, keyed, { "idempotency-key": "quota-1" })).res.status).toBe(201);
    expect(await bytesCharged(project.projectId)).toBe(2 * bytes + 1);
    const replay = await hostilePost("/v1/scans", project.headers, keyed, { "idempotency-key": "quota-1" });
    expect(replay.res.headers.get("idempotent-replayed")).toBe("true");
    expect((await hostilePost("/v1/scans", project.headers, scan, { "idempotency-key": "quota-1" })).res.status).toBe(422);
    expect(await bytesCharged(project.projectId)).toBe(2 * bytes + 1);
  });
});

describe("limiter exactness under parallel requests", () => {
  it("60 parallel requests of every kind against a quota of 40 admit exactly 40", async () => {
    const { headers } = await createProject("Parallel mix");
    const requests = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0
        ? hostile("/v1/scans?limit=1", { headers })
        : i % 3 === 1
          ? hostilePost("/v1/scans", headers, "{broken")
          : hostile(`/v1/nowhere/${i}`, { headers }),
    );
    const answered = statuses(await Promise.all(requests));
    expect(count(answered, 429)).toBe(20);
  });

  it("120 parallel requests for unknown public paths from one address admit exactly 100", async () => {
    await awayFromWindowEdge(60);
    const answered = statuses(
      await Promise.all(Array.from({ length: 120 }, (_, i) => hostile(`/probe/${i}`, { headers: { "cf-connecting-ip": "198.18.0.9" } }))),
    );
    expect(count(answered, 404)).toBe(100);
    expect(count(answered, 429)).toBe(20);
  });

  it("40 parallel guesses at keys from one address get exactly 30 401s", async () => {
    await awayFromWindowEdge(60);
    const guesses = Array.from({ length: 40 }, (_, i) =>
      hostile("/v1/scans", { headers: { authorization: `Bearer pca_test_${String(i).padStart(43, "q")}`, "cf-connecting-ip": "198.18.0.10" } }),
    );
    const answered = statuses(await Promise.all(guesses));
    expect(count(answered, 401)).toBe(30);
    expect(count(answered, 429)).toBe(10);
  });

  it("8 parallel 180 KB scans against a 1,000,000-byte day admit exactly 5 and charge exactly their bytes", async () => {
    await awayFromWindowEdge(86_400);
    const { headers, projectId } = await createProject("Parallel bytes");
    const file = (i: number) => ({ path: `big${i}.js`, content: `// ${i}\n`.padEnd(180_000, "/") });
    const answered = statuses(
      await Promise.all(Array.from({ length: 8 }, (_, i) => hostilePost("/v1/scans", headers, { files: [file(i)], options: { async: true } }))),
    );
    expect(count(answered, 202)).toBe(5);
    expect(count(answered, 429)).toBe(3);
    expect(await bytesCharged(projectId)).toBe(5 * 180_000);
  });
});

itLeavesNoCardDataOrSecrets("limits", logs);
