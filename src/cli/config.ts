/**
 * The project's settings file, `pci-auditor.config.json`: what a team decides once and commits
 * (rules off or at another severity, the SQL dialect, excludes, the fail-on level, the SARIF
 * category) instead of repeating flags in every CI job. Found in the first PATH's folder or the
 * nearest folder above it, or named with --config. Strict: an unknown key or rule id is an exit-2
 * error naming it, since a misspelt setting that silently does nothing is worse than none.
 * Command-line flags win over the file.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { RULES, SEVERITIES, SQL_DIALECTS, type RuleSetting, type Severity, type SqlDialect } from "../engine/index";
import { FAIL_ON, RULE_SETTINGS, oneOf, type FailOn } from "./args";
import { CliError, describeFsError } from "./cli-error";

export const CONFIG_FILE = "pci-auditor.config.json";

export interface ProjectConfig {
  /** The file it was read from, relative to the working folder (for messages). */
  file?: string;
  rules: Record<string, RuleSetting>;
  dialect?: SqlDialect;
  minSeverity?: Severity;
  failOn?: FailOn;
  exclude: string[];
  sarifCategory?: string;
}

const KEYS = ["$schema", "rules", "dialect", "minSeverity", "failOn", "exclude", "sarifCategory"];

/**
 * The settings for a scan of `paths`: from --config, else the nearest pci-auditor.config.json at
 * or above the first PATH (a file's folder), else none.
 *
 * @throws CliError naming the file and the key when the file cannot be read or holds an unknown or invalid setting
 */
export async function loadConfig(paths: readonly string[], options: { cwd: string; file?: string }): Promise<ProjectConfig> {
  const file = options.file !== undefined ? path.resolve(options.cwd, options.file) : await findUpward(path.resolve(options.cwd, paths[0] ?? "."));
  if (file === undefined) return { rules: {}, exclude: [] };
  const shown = path.relative(options.cwd, file).split(path.sep).join("/") || file;
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw new CliError(`cannot read ${shown}: ${describeFsError(error)}`);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${shown} is not valid JSON: ${String((error as Error).message).slice(0, 200)}`);
  }
  return { file: shown, ...parseConfig(raw, shown) };
}

/** Validates a parsed settings object; `shown` names the file in errors. */
export function parseConfig(raw: unknown, shown: string): Omit<ProjectConfig, "file"> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new CliError(`${shown} must hold a JSON object`);
  const o = raw as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !KEYS.includes(k));
  if (unknown !== undefined) throw new CliError(`unknown key "${unknown.slice(0, 80)}" in ${shown}: expected one of ${KEYS.slice(1).join(", ")}`);
  const text = (key: string): string | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw new CliError(`"${key}" in ${shown} must be a string`);
    return v;
  };
  const setting = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
    const v = text(key);
    return v === undefined ? undefined : oneOf(`"${key}" in ${shown}`, v, allowed);
  };
  const rules: Record<string, RuleSetting> = {};
  if (o.rules !== undefined) {
    if (o.rules === null || typeof o.rules !== "object" || Array.isArray(o.rules))
      throw new CliError(`"rules" in ${shown} must be an object of rule id → setting`);
    for (const [id, value] of Object.entries(o.rules)) {
      if (!RULES.some((r) => r.id === id)) throw new CliError(`unknown rule "${id.slice(0, 80)}" in "rules" of ${shown}`);
      if (typeof value !== "string") throw new CliError(`rule "${id}" in ${shown} must be one of ${RULE_SETTINGS.join(", ")}`);
      rules[id] = oneOf(`rule "${id}" in ${shown}`, value, RULE_SETTINGS);
    }
  }
  const exclude = o.exclude ?? [];
  if (!Array.isArray(exclude) || exclude.some((g) => typeof g !== "string" || g === "")) throw new CliError(`"exclude" in ${shown} must be a list of globs`);
  const dialect = setting("dialect", SQL_DIALECTS);
  const minSeverity = setting("minSeverity", SEVERITIES);
  const failOn = setting("failOn", FAIL_ON);
  const sarifCategory = text("sarifCategory");
  return {
    rules,
    exclude: exclude as string[],
    ...(dialect ? { dialect } : {}),
    ...(minSeverity ? { minSeverity } : {}),
    ...(failOn ? { failOn } : {}),
    ...(sarifCategory ? { sarifCategory } : {}),
  };
}

/** The nearest settings file at or above `start` (a file's folder when `start` is a file). */
async function findUpward(start: string): Promise<string | undefined> {
  let dir = (await stat(start).catch(() => null))?.isDirectory() ? start : path.dirname(start);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE);
    if ((await stat(candidate).catch(() => null))?.isFile()) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
