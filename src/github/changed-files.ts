/**
 * What a push or pull request changed, as GitHub lists it, and the contents to scan: the file
 * list (pull request files, paginated up to GitHub's 3,000; or the compare API, which lists at
 * most 300), each file's added lines from its patch (annotations go only on those), and file
 * bodies by blob. Bounded by the scan limits: at most `maxFiles` blobs fetched, none over
 * `maxFileBytes`, `maxScanBytes` in all. Removed files are skipped. Whatever a bound left out is
 * said in `notes`, which the check run summary repeats.
 */
import { FilePath } from "../scans/submission";
import { repoPath, type GithubApi } from "./api";

/** A changed file as GitHub's pull request files and compare APIs list it. */
export interface ListedFile {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  sha: string | null;
  patch?: string;
}

export interface ChangeSet {
  files: ListedFile[];
  /** GitHub stopped listing before the end (compare: 300 files; pull request: 3,000). */
  truncated: boolean;
}

/** Pull request file pages of 100 fetched at most: GitHub lists at most 3,000 files. */
const MAX_PR_PAGES = 30;
const COMPARE_MAX_FILES = 300;

export async function pullRequestFiles(api: GithubApi, repository: string, number: number): Promise<ChangeSet> {
  const files: ListedFile[] = [];
  for (let page = 1; page <= MAX_PR_PAGES; page++) {
    const { data } = await api.request<ListedFile[]>("GET", `${repoPath(repository)}/pulls/${number}/files?per_page=100&page=${page}`);
    files.push(...data);
    if (data.length < 100) return { files, truncated: false };
  }
  return { files, truncated: true };
}

/** Files changed between `base` (a commit or branch) and `head`. */
export async function compareFiles(api: GithubApi, repository: string, base: string, head: string): Promise<ChangeSet> {
  const { data } = await api.request<{ files?: ListedFile[] }>(
    "GET",
    `${repoPath(repository)}/compare/${encodeURIComponent(base)}...${encodeURIComponent(head)}?per_page=1`,
  );
  const files = data.files ?? [];
  return { files, truncated: files.length >= COMPARE_MAX_FILES };
}

/**
 * Line numbers (in the new file) that a unified-diff patch adds. GitHub's patches are hunks only
 * (`@@ -a,b +c,d @@` then ` `, `-`, `+` lines), without file headers.
 * @example addedLines("@@ -1,2 +1,3 @@\n a\n+b\n c") // Set {2}
 */
export function addedLines(patch: string): Set<number> {
  const added = new Set<number>();
  let line = 0;
  for (const text of patch.split("\n")) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) line = Number(hunk[1]);
    else if (text.startsWith("+")) added.add(line++);
    else if (text.startsWith(" ") || text === "") line++;
    // "-" lines and "\ No newline at end of file" do not exist in the new file.
  }
  return added;
}

export interface SourceLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxScanBytes: number;
}

export interface Sources {
  files: Array<{ path: string; content: string }>;
  notes: string[];
}

/**
 * Path → the lines the change added: from each file's patch, "all" for a new file whose patch
 * GitHub left out (too large), none for a modified one without a patch.
 */
export function changedLinesOf(change: ChangeSet): Map<string, Set<number> | "all"> {
  return new Map(change.files.map((f) => [f.filename, f.patch !== undefined ? addedLines(f.patch) : f.status === "added" ? "all" : new Set<number>()]));
}

/**
 * Fetches the blobs of the changed files within the limits. A blob is read only up to the size its
 * base64 JSON can have for `maxFileBytes`, so an oversized file costs no memory.
 */
export async function fetchSources(api: GithubApi, repository: string, change: ChangeSet, limits: SourceLimits): Promise<Sources> {
  const present = change.files.filter((f) => f.status !== "removed" && f.sha);
  const notes: string[] = [];
  if (change.truncated) notes.push(`GitHub listed only the first ${change.files.length} changed files; the rest were not scanned.`);
  const files: Sources["files"] = [];
  const skipped = { paths: 0, large: 0, binary: 0 };
  let total = 0;
  let overflow = false;
  let i = 0;
  for (; i < present.length && files.length < limits.maxFiles; i++) {
    const f = present[i]!;
    if (!FilePath.safeParse(f.filename).success) {
      skipped.paths++;
      continue;
    }
    const blob = await api.boundedJson<{ content: string; encoding: string; size: number }>(
      `${repoPath(repository)}/git/blobs/${encodeURIComponent(f.sha!)}`,
      Math.ceil((limits.maxFileBytes * 4) / 3) + 4_096,
    );
    const bytes =
      blob && blob.encoding === "base64" && blob.size <= limits.maxFileBytes
        ? Uint8Array.from(atob(blob.content.replace(/\s+/g, "")), (ch) => ch.charCodeAt(0))
        : null;
    if (!bytes) {
      skipped.large++;
      continue;
    }
    if (bytes.includes(0)) {
      skipped.binary++;
      continue;
    }
    if (total + bytes.byteLength > limits.maxScanBytes) {
      overflow = true;
      break;
    }
    total += bytes.byteLength;
    files.push({ path: f.filename, content: new TextDecoder().decode(bytes) });
  }
  const notScanned = present.length - i;
  if (notScanned > 0) {
    notes.push(
      overflow
        ? `${notScanned} of the ${present.length} changed files were not scanned: together they pass the ${limits.maxScanBytes}-byte limit of one scan.`
        : `Only ${files.length} of the ${present.length} changed files were scanned: one scan holds at most ${limits.maxFiles} files.`,
    );
  }
  if (skipped.large) notes.push(`${skipped.large} file(s) over the ${limits.maxFileBytes}-byte file limit were not scanned.`);
  if (skipped.binary) notes.push(`${skipped.binary} binary file(s) were not scanned.`);
  if (skipped.paths) notes.push(`${skipped.paths} file(s) with paths the scanner does not accept (control characters) were not scanned.`);
  return { files, notes };
}
