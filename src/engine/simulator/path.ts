/**
 * Path traversal prover for file-system sinks (`fs.readFile`, `createReadStream`, `sendFile`…).
 * A rendering is resolved against the directory the sink is meant to stay in — the caller's
 * `baseDir`, or else the template's constant prefix up to its last "/" — and the attack is
 * proven when the path leaves that directory or becomes absolute (POSIX paths).
 *
 * By default a path resolves the way the kernel resolves it: one component at a time, so ".."
 * after a name only goes back up if that name is an existing directory. The simulator assumes
 * the directories written in the constant prefix exist and nothing else does; a payload that
 * starts mid-name ("report-" + "../../etc/passwd") then proves nothing, which is right for a raw
 * `fs.readFile`. Sinks that normalise first (`path.join`, `path.resolve`, `path.normalize`)
 * resolve lexically: pass `lexical: true`.
 *
 * Percent-encoded payloads (%2e%2e%2f) add nothing here: the simulator models no filter, so a
 * sink that decodes sees the same "../" a plain payload gives.
 */
import { shorten, type Analysis, type Change, type Prover } from "./prover";

export interface PathStructure {
  resolved: string;
  inside: boolean;
  /** A name that must exist as a directory for the resolution to hold ("report-.."). */
  dependsOn?: string;
}

export interface PathProverOptions {
  /** The directory the sink must stay inside; relative renderings resolve against it. */
  baseDir?: string;
  /** The constant text before the template's first hole (its directories are assumed to exist). */
  constantPrefix: string;
  /** True when the sink normalises the path lexically before using it. */
  lexical?: boolean;
}

interface Resolved {
  absolute: boolean;
  segments: string[];
  /** Levels above the starting directory a relative path climbed. */
  above: number;
  dependsOn?: string;
}

export const PATH_PARSER = { name: "pci-auditor-path-resolver", version: "1", dialect: "posix" } as const;

/** A prover for text used as a file-system path. */
export function createPathProver(options: PathProverOptions): Prover<PathStructure> {
  const explicitBase = options.baseDir !== undefined;
  const baseText = explicitBase ? options.baseDir! : options.constantPrefix.slice(0, options.constantPrefix.lastIndexOf("/") + 1);
  const base = resolve(baseText, null, Infinity, true);
  const baseName = display(base);
  const known = options.constantPrefix.lastIndexOf("/") + 1;
  const analyze = (text: string): Analysis<PathStructure> => {
    if (text.includes("\u0000")) return { ok: false, message: "a NUL byte makes the path invalid" };
    // A relative path resolves against the caller's base directory, or the working directory.
    const r = resolve(text, explicitBase && !text.startsWith("/") ? base : null, known, options.lexical ?? false);
    const inside = within(r, base);
    const structure: PathStructure = { resolved: display(r), inside, ...(r.dependsOn ? { dependsOn: r.dependsOn } : {}) };
    const where = `${inside ? "inside" : "outside"} ${baseName}`;
    return {
      ok: true,
      structure,
      summary: `resolves to ${shorten(structure.resolved, 300)}, ${where}${r.dependsOn ? ` (if a directory named '${shorten(r.dependsOn, 60)}' exists)` : ""}`,
    };
  };
  const compare = (benign: PathStructure, attack: PathStructure): Change[] => {
    if (!benign.inside) return [{ rank: 0, words: `the benign path is already outside ${baseName}` }];
    if (attack.inside) return [];
    if (attack.dependsOn) {
      return [
        {
          rank: 0,
          words: `the path would leave ${baseName} only if a directory named '${shorten(attack.dependsOn, 60)}' exists: the operating system resolves '..' one existing directory at a time`,
        },
      ];
    }
    const how = attack.resolved.startsWith("/") && !baseName.startsWith("/") ? "became absolute" : "left the base directory";
    return [{ rank: 3, words: `the path ${how}: it resolves to ${shorten(attack.resolved, 200)}, outside ${baseName}` }];
  };
  return { parser: { ...PATH_PARSER }, analyze, compare };
}

/**
 * Resolves a POSIX path from `start` (or from the root / the working directory). Segments that
 * end before offset `known` come from the constant prefix and are taken to exist.
 */
function resolve(text: string, start: Resolved | null, known: number, lexical: boolean): Resolved {
  const absolute = text.startsWith("/") || (start?.absolute ?? false);
  const stack: Array<{ name: string; exists: boolean }> = text.startsWith("/") || !start ? [] : start.segments.map((name) => ({ name, exists: true }));
  let above = text.startsWith("/") || !start ? 0 : start.above;
  let dependsOn: string | undefined;
  let at = 0;
  for (const name of text.split("/")) {
    const end = at + name.length;
    at = end + 1;
    if (name === "" || name === ".") continue;
    if (name !== "..") {
      stack.push({ name, exists: lexical || end < known });
      continue;
    }
    const top = stack.pop();
    if (top && !top.exists) dependsOn ??= top.name;
    if (!top && !absolute) above++;
  }
  return { absolute, segments: stack.map((s) => s.name), above, ...(dependsOn ? { dependsOn } : {}) };
}

function within(path: Resolved, base: Resolved): boolean {
  if (path.absolute !== base.absolute) return false;
  if (path.above > base.above) return false;
  // A relative path that climbed as far as the base climbed can only be inside if the base did not descend.
  if (path.above < base.above) return false;
  return base.segments.every((s, i) => path.segments[i] === s);
}

function display(r: Resolved): string {
  const up = Array.from({ length: Math.min(r.above, 50) }, () => "..");
  const joined = [...up, ...r.segments].join("/");
  return r.absolute ? "/" + joined : joined === "" ? "." : joined;
}
