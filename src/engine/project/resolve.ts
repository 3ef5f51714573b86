/**
 * Module resolution among the submitted files, the way Node and TypeScript find a module:
 * relative specifiers with or without an extension, `.js` written for a `.ts` file, index files,
 * workspace packages by their package.json `name` (`exports`, then `main`), and tsconfig or
 * jsconfig `baseUrl`/`paths` aliases (`@/lib/db`). A specifier that names no submitted file is
 * a library's (the models know it) or unknown: the resolver answers null.
 *
 * @example
 *   const resolve = createResolver([{ path: "src/routes.ts", text }, { path: "src/db/index.ts", text }]);
 *   resolve("./db", "src/routes.ts"); // "src/db/index.ts"
 */
import type { ModuleResolver } from "../taint/interpreter";

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
/** A specifier written with a JS extension may name the TypeScript file it compiles from. */
const TS_FOR_JS: Record<string, string[]> = { ".js": [".ts", ".tsx"], ".jsx": [".tsx"], ".mjs": [".mts"], ".cjs": [".cts"] };
/** `exports` conditions, in the order a Node server build picks them. */
const CONDITIONS = ["node", "import", "require", "default", "module", "types"];
/** Path aliases and package links followed before giving up (a config that extends itself). */
const MAX_HOPS = 8;

interface Alias {
  /** The text before `*` (the whole pattern when it has none). */
  prefix: string;
  suffix: string;
  wildcard: boolean;
  targets: string[];
}

interface Config {
  dir: string;
  baseUrl: string | null;
  aliases: Alias[];
}

interface Package {
  dir: string;
  main: string | null;
  exports: unknown;
}

/** Builds the resolver for a submission: its paths, and the text of its package.json and tsconfig/jsconfig files. */
export function createResolver(files: ReadonlyArray<{ path: string; text: string }>): ModuleResolver {
  // Normalised path → the path as submitted, which is what the resolver answers.
  const paths = new Map<string, string>();
  const texts = new Map<string, string>();
  for (const f of files) {
    const p = normalisePath(f.path);
    if (!paths.has(p)) paths.set(p, f.path);
    const base = p.slice(p.lastIndexOf("/") + 1);
    if (base === "package.json" || /^(tsconfig|jsconfig)(\..*)?\.json$/.test(base)) texts.set(p, f.text);
  }
  const packagesByDir = new Map<string, Package>();
  const packagesByName = new Map<string, Package>();
  for (const [p, text] of texts) {
    if (!p.endsWith("package.json") || (p !== "package.json" && !p.endsWith("/package.json"))) continue;
    const json = parseJsonc(text);
    if (!isObject(json)) continue;
    const pkg: Package = {
      dir: dirname(p),
      main: typeof json.main === "string" ? json.main : typeof json.module === "string" ? json.module : null,
      exports: json.exports,
    };
    packagesByDir.set(pkg.dir, pkg);
    if (typeof json.name === "string" && json.name && !packagesByName.has(json.name)) packagesByName.set(json.name, pkg);
  }
  const configs = new Map<string, Config | null>();
  const configOf = (dir: string): Config | null => {
    if (configs.has(dir)) return configs.get(dir)!;
    let found: Config | null = null;
    for (const name of ["tsconfig.json", "jsconfig.json"]) {
      const p = join(dir, name);
      if (texts.has(p)) {
        found = readConfig(p, texts);
        break;
      }
    }
    // "/" is its own parent: an absolute submitted path must stop there, not recurse until the stack overflows.
    if (!found && dir !== "" && dir !== "/") found = configOf(dirname(dir));
    configs.set(dir, found);
    return found;
  };

  const asFile = (p: string): string | null => {
    if (paths.has(p)) return p;
    for (const ext of EXTENSIONS) if (paths.has(p + ext)) return p + ext;
    const dot = p.lastIndexOf(".");
    const swaps = dot > p.lastIndexOf("/") ? TS_FOR_JS[p.slice(dot)] : undefined;
    if (swaps) for (const ext of swaps) if (paths.has(p.slice(0, dot) + ext)) return p.slice(0, dot) + ext;
    return null;
  };
  const asDirectory = (dir: string, hops: number): string | null => {
    const pkg = packagesByDir.get(dir);
    if (pkg && hops < MAX_HOPS) {
      const entry = exportTarget(pkg.exports, ".") ?? pkg.main;
      if (entry) {
        const target = join(dir, entry);
        const hit = asFile(target) ?? (target !== dir ? asDirectory(target, hops + 1) : null);
        if (hit) return hit;
      }
    }
    for (const ext of EXTENSIONS) if (paths.has(join(dir, "index" + ext))) return join(dir, "index" + ext);
    return null;
  };
  const asPath = (p: string, hops = 0): string | null => asFile(p) ?? asDirectory(p, hops);

  const asPackage = (specifier: string): string | null => {
    const parts = specifier.split("/");
    const nameLength = specifier.startsWith("@") ? 2 : 1;
    const pkg = packagesByName.get(parts.slice(0, nameLength).join("/"));
    if (!pkg) return null;
    const sub = parts.slice(nameLength).join("/");
    if (sub === "") return asDirectory(pkg.dir, 0);
    const target = exportTarget(pkg.exports, "./" + sub);
    return target ? asPath(join(pkg.dir, target)) : asPath(join(pkg.dir, sub));
  };

  const asAlias = (specifier: string, from: string): string | null => {
    const config = configOf(dirname(from));
    if (!config) return null;
    let best: Alias | null = null;
    for (const a of config.aliases) {
      const matches = a.wildcard
        ? specifier.startsWith(a.prefix) && specifier.endsWith(a.suffix) && specifier.length >= a.prefix.length + a.suffix.length
        : specifier === a.prefix;
      if (matches && (!best || a.prefix.length > best.prefix.length)) best = a;
    }
    const root = config.baseUrl ?? config.dir;
    if (best) {
      const star = best.wildcard ? specifier.slice(best.prefix.length, specifier.length - best.suffix.length) : "";
      for (const t of best.targets) {
        const hit = asPath(join(root, t.replace("*", star)));
        if (hit) return hit;
      }
    }
    return config.baseUrl !== null ? asPath(join(config.baseUrl, specifier)) : null;
  };

  const cache = new Map<string, string | null>();
  return (specifier: string, fromPath: string): string | null => {
    if (specifier === "" || specifier.startsWith("node:") || specifier.includes("\0")) return null;
    const from = normalisePath(fromPath);
    const relative = specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..";
    const key = (relative ? dirname(from) : (configOf(dirname(from))?.dir ?? "")) + "\n" + specifier;
    let hit = cache.get(key);
    if (hit === undefined) {
      const found = relative ? asPath(join(dirname(from), specifier)) : specifier.startsWith("/") ? null : (asAlias(specifier, from) ?? asPackage(specifier));
      hit = found === null ? null : paths.get(found)!;
      cache.set(key, hit);
    }
    return hit;
  };
}

/** A tsconfig/jsconfig's `baseUrl` and `paths`, following `extends` to other submitted configs. */
function readConfig(path: string, texts: Map<string, string>): Config | null {
  let baseUrl: string | null = null;
  let pathsDir: string | null = null;
  let paths: Record<string, unknown> | null = null;
  let current: string | null = path;
  for (let hop = 0; current && hop < MAX_HOPS; hop++) {
    const json = parseJsonc(texts.get(current) ?? "");
    if (!isObject(json)) break;
    const options = isObject(json.compilerOptions) ? json.compilerOptions : {};
    const dir = dirname(current);
    if (baseUrl === null && typeof options.baseUrl === "string") baseUrl = join(dir, options.baseUrl);
    if (paths === null && isObject(options.paths)) {
      paths = options.paths;
      pathsDir = dir;
    }
    const parent: unknown = json.extends;
    current =
      typeof parent === "string" && (parent.startsWith("./") || parent.startsWith("../"))
        ? join(dir, parent.endsWith(".json") ? parent : parent + ".json")
        : null;
  }
  const aliases: Alias[] = [];
  for (const [pattern, targets] of Object.entries(paths ?? {})) {
    if (!Array.isArray(targets)) continue;
    const star = pattern.indexOf("*");
    aliases.push({
      prefix: star < 0 ? pattern : pattern.slice(0, star),
      suffix: star < 0 ? "" : pattern.slice(star + 1),
      wildcard: star >= 0,
      targets: targets.filter((t): t is string => typeof t === "string"),
    });
  }
  if (baseUrl === null && aliases.length === 0) return null;
  // Without a baseUrl, `paths` targets are relative to the config that declares them.
  return { dir: dirname(path), baseUrl: baseUrl ?? (aliases.length > 0 ? pathsDir : null), aliases };
}

/** The file a package's `exports` maps a subpath ("." or "./x") to, through conditions. */
function exportTarget(exports: unknown, subpath: string): string | null {
  if (exports === undefined || exports === null) return null;
  if (typeof exports === "string") return subpath === "." ? exports : null;
  if (Array.isArray(exports)) {
    for (const e of exports) {
      const t = exportTarget(e, subpath);
      if (t) return t;
    }
    return null;
  }
  if (!isObject(exports)) return null;
  const keys = Object.keys(exports);
  if (keys.length > 0 && keys.every((k) => !k.startsWith("."))) return subpath === "." ? condition(exports) : null;
  const direct = exports[subpath];
  if (direct !== undefined) return condition(direct);
  for (const k of keys) {
    const star = k.indexOf("*");
    if (star < 0) continue;
    const prefix = k.slice(0, star);
    const suffix = k.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= prefix.length + suffix.length) {
      const target = condition(exports[k]);
      if (target) return target.replace("*", subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return null;
}

function condition(value: unknown, depth = 0): string | null {
  if (typeof value === "string") return value;
  if (depth > 4) return null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = condition(v, depth + 1);
      if (t) return t;
    }
    return null;
  }
  if (!isObject(value)) return null;
  for (const c of CONDITIONS) {
    if (c in value) {
      const t = condition(value[c], depth + 1);
      if (t) return t;
    }
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** JSON with comments and trailing commas (tsconfig's dialect); null when it does not parse. */
export function parseJsonc(text: string): unknown {
  if (text.length > 1_000_000) return null;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
  } catch {
    return null;
  }
}

/** "./src\\a/../b.ts" → "src/b.ts": forward slashes, no "." or ".." segments, no leading "./". */
export function normalisePath(p: string): string {
  const absolute = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.replace(/\\/g, "/").split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
    } else out.push(seg);
  }
  return (absolute ? "/" : "") + out.join("/");
}

function dirname(p: string): string {
  const i = p.lastIndexOf("/");
  return i < 0 ? "" : i === 0 ? "/" : p.slice(0, i);
}

function join(dir: string, rel: string): string {
  return normalisePath(dir === "" ? rel : dir + "/" + rel);
}
