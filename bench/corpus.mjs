/**
 * The benchmark corpus, shared by bench/engine.mjs (warm, in process) and bench/cold.mjs (fresh
 * processes): real-world JavaScript from installed npm packages, so every checkout measures the
 * same bytes (package-lock.json pins them). A row is one file or one folder; a folder is one
 * project, all its JS/TS files analysed together.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const DEFAULT_CORPUS = [
  ["small", "node_modules/hono/dist/hono-base.js"],
  ["medium", "node_modules/zod/v4/core/schemas.js"],
  ["medium", "node_modules/acorn/dist/acorn.js"],
  ["large", "node_modules/drizzle-kit/api.js"],
  ["project", "node_modules/hono/dist/cjs"],
];

const CODE = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/;

/** A row's JS/TS files, `{ path, text }`, in path order: paths relative to a folder, or the file's name. */
export function readRow(target) {
  if (!statSync(target).isDirectory()) return [{ path: path.basename(target), text: readFileSync(target, "utf8") }];
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && CODE.test(e.name) && !e.name.endsWith(".d.ts"))
        out.push({ path: path.relative(target, abs).split(path.sep).join("/"), text: readFileSync(abs, "utf8") });
    }
  };
  walk(target);
  return out;
}
