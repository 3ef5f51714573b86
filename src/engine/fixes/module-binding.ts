/**
 * The names a file binds to a Node built-in module, read from its top-level `require` and
 * `import` statements, and the edits that bind one more export: a patch that calls
 * `execFile` or `path.basename` must leave a file that still runs, written in the style the
 * file already uses (CommonJS or ES modules, `node:` specifiers or bare ones).
 */
import { requiredModule } from "../js/file-bindings";
import { literalString, propertyName, unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import type { Edit } from "./patch";
import { childNodes } from "./sink-text";

/** A local name bound to a module: the module itself (`const cp = require("child_process")`), or one export of it. */
export interface ModuleBinding {
  local: string;
  /** The export it holds; null for the module itself. */
  export: string | null;
  /** The `{ … }` pattern or the import declaration that binds it, where another export can be added. */
  container: JsNode | null;
  /** The property or import specifier that binds it. */
  binder: JsNode | null;
}

const MAX_DEPTH = 2_000;

/** The top-level bindings of a built-in module (`child_process`, `path`), with or without `node:`. */
export function moduleBindings(program: JsNode, module: string): ModuleBinding[] {
  const out: ModuleBinding[] = [];
  for (const statement of program.body as JsNode[]) {
    if (statement.type === "ImportDeclaration" && statement.importKind !== "type" && isModule(literalString(statement.source), module)) {
      for (const s of statement.specifiers as JsNode[]) {
        if (s.importKind === "type") continue;
        if (s.type === "ImportSpecifier") {
          const imported = s.imported.type === "Identifier" ? s.imported.name : literalString(s.imported);
          out.push({ local: s.local.name, export: imported === "default" ? null : imported, container: statement, binder: s });
        } else out.push({ local: s.local.name, export: null, container: null, binder: s });
      }
    }
    if (statement.type !== "VariableDeclaration") continue;
    for (const d of statement.declarations as JsNode[]) {
      if (!d.init || !isModule(requiredSpecifier(d.init), module)) continue;
      if (d.id.type === "Identifier") out.push({ local: d.id.name, export: null, container: null, binder: d });
      else if (d.id.type === "ObjectPattern") {
        for (const p of d.id.properties as JsNode[]) {
          const key = p.type === "Property" ? propertyName(p) : null;
          if (key !== null && p.value.type === "Identifier") out.push({ local: p.value.name, export: key, container: d.id, binder: p });
        }
      }
    }
  }
  return out;
}

/** `require("x")` / `await import("x")`: the specifier as written (requiredModule folds aliases). */
function requiredSpecifier(node: JsNode): string | null {
  if (requiredModule(node) === null) return null;
  let n = unwrap(node);
  if (n.type === "AwaitExpression") n = unwrap(n.argument);
  return literalString(n.type === "ImportExpression" ? n.source : n.arguments[0]);
}

function isModule(specifier: string | null, module: string): boolean {
  return specifier === module || specifier === `node:${module}`;
}

/** Whether an identifier `name` appears anywhere in the program other than as a property name. */
export function nameInUse(program: JsNode, name: string): boolean {
  return references(program, name) > 0;
}

/** How many times the identifier `name` appears in the program, property names (`a.name`, `{ name: … }`) aside. */
export function references(program: JsNode, name: string): number {
  let count = 0;
  const visit = (node: JsNode, parent: JsNode | null, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (node.type === "Identifier" && node.name === name && !isPropertyKey(node, parent)) count++;
    for (const child of childNodes(node)) visit(child, node, depth + 1);
  };
  visit(program, null, 0);
  return count;
}

function isPropertyKey(node: JsNode, parent: JsNode | null): boolean {
  if (!parent) return false;
  if (parent.type === "MemberExpression") return parent.property === node && !parent.computed;
  if (parent.type === "Property" || parent.type === "PropertyDefinition" || parent.type === "MethodDefinition")
    return parent.key === node && !parent.computed && parent.value !== node;
  if (parent.type === "ImportSpecifier") return parent.imported === node && parent.local !== node;
  return false;
}

/** An edit that adds `name` to the `{ … }` pattern or import list of a binding of the same module. */
export function addNamedExport(binding: ModuleBinding, name: string): Edit | null {
  const container = binding.container;
  if (!container) return null;
  const list: JsNode[] = container.type === "ObjectPattern" ? container.properties : container.specifiers;
  const last = list[list.length - 1];
  if (!last || last.type === "RestElement" || last.type === "ImportDefaultSpecifier" || last.type === "ImportNamespaceSpecifier") return null;
  return { start: last.end, end: last.end, text: `, ${name}` };
}

/**
 * An edit that binds the whole module to `local` after the file's last top-level import or
 * require, as an `import * as` in a file of ES modules and a `require` otherwise, with the
 * `node:` prefix when the file's other imports use it.
 */
export function addModuleImport(program: JsNode, source: string, module: string, local: string): Edit {
  const body = program.body as JsNode[];
  let after: JsNode | null = null;
  let esm = false;
  let prefixed = false;
  for (const s of body) {
    if (s.type === "ImportDeclaration") {
      after = s;
      esm = true;
      prefixed ||= (literalString(s.source) ?? "").startsWith("node:");
    } else if (s.type === "VariableDeclaration" && s.declarations.some((d: JsNode) => d.init && requiredSpecifier(d.init) !== null)) {
      after = s;
      for (const d of s.declarations as JsNode[]) prefixed ||= (d.init ? (requiredSpecifier(d.init) ?? "") : "").startsWith("node:");
    }
  }
  const specifier = JSON.stringify(prefixed ? `node:${module}` : module);
  const statement = esm ? `import * as ${local} from ${specifier};` : `const ${local} = require(${specifier});`;
  if (after) return { start: after.end, end: after.end, text: `\n${statement}` };
  // Before the first statement, after any directive prologue ("use strict") and hashbang.
  const first = body.find((s) => !(s.type === "ExpressionStatement" && typeof s.directive === "string"));
  const at = first ? lineStart(source, first.start) : source.length;
  return { start: at, end: at, text: `${statement}\n` };
}

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf("\n", offset - 1) + 1;
}
