/**
 * What a file's names stand for, learnt during the shared walk: which local names hold a module
 * or one of its exports (`const crypto = require("crypto")`, `import { createHash } from
 * "node:crypto"`, `import jwt from "jsonwebtoken"`), and which hold a constant string
 * (`const ALG = "md5"`). Rules resolve callees and arguments through it so aliases do not hide
 * a call. Scopes are not modelled: a name bound two different ways in one file counts as unknown.
 */
import type { JsNode } from "../parse/js";
import type { JsListener } from "../rule";
import { resolveSpecifier } from "../models/import-resolver";
import { literalString, memberChain, propertyName, unwrap } from "./node-values";

/** A module, or one export of it, that a local name is bound to. */
export interface ModuleRef {
  /** The canonical module name (see resolveSpecifier): "crypto" for `node:crypto`, "jsonwebtoken", "crypto-js/md5". */
  module: string;
  /** The export the name holds; null for the module itself (namespace, default or require result). */
  export: string | null;
}

/** A callee resolved through the file's bindings; one answer is shared by every rule that asks, so it is read-only. */
export interface ResolvedCallee {
  /** The module the callee comes from, or null when its root is not an imported name. */
  readonly module: string | null;
  /**
   * Names after the module: `crypto.createHash` → ["createHash"] with module "crypto"; for an
   * unresolved root the root's name comes first: `CryptoJS.MD5` → ["CryptoJS", "MD5"].
   */
  readonly names: readonly string[];
}

/** A constant string and the literal that holds it. */
export interface ConstantString {
  value: string;
  node: JsNode;
}

const AMBIGUOUS = null;

/** `require("x")`, `await import("x")` or `import("x")` → "x". */
export function requiredModule(node: JsNode): string | null {
  let n = unwrap(node);
  if (n.type === "AwaitExpression") n = unwrap(n.argument);
  if (n.type === "ImportExpression") {
    const s = literalString(n.source);
    return s === null ? null : resolveSpecifier(s);
  }
  if (n.type !== "CallExpression" || n.arguments.length !== 1) return null;
  const callee = unwrap(n.callee);
  if (callee.type !== "Identifier" || callee.name !== "require") return null;
  const s = literalString(n.arguments[0]);
  return s === null ? null : resolveSpecifier(s);
}

export class FileBindings {
  private readonly modules = new Map<string, ModuleRef | null>();
  private readonly constants = new Map<string, ConstantString | null>();
  /** Changes to `modules` so far: a remembered resolution holds while this stays the same. */
  private moduleChanges = 0;
  /**
   * The last node resolved, at which `moduleChanges`, and the answer: up to ten rules resolve the
   * same callee one after another at each call in the walk.
   */
  private lastNode: JsNode | null = null;
  private lastChanges = -1;
  private lastResolved: ResolvedCallee | null = null;

  /** Listeners the engine runs before the rules' (rules get the file's instance as `ctx.shared.bindings`). */
  readonly listeners: Record<string, JsListener> = {
    ImportDeclaration: (node) => this.onImport(node),
    VariableDeclarator: (node, parent) => this.onDeclarator(node, parent),
    TSImportEqualsDeclaration: (node) => {
      const ref = node.moduleReference;
      const s = ref?.type === "TSExternalModuleReference" ? literalString(ref.expression) : null;
      if (s !== null && node.id?.type === "Identifier") this.bind(node.id.name, { module: resolveSpecifier(s), export: null });
    },
  };

  /** The module a local name is bound to, if exactly one. */
  moduleOf(name: string): ModuleRef | null {
    return this.modules.get(name) ?? null;
  }

  /** The constant string a `const` name holds, if exactly one. */
  constant(name: string): ConstantString | null {
    return this.constants.get(name) ?? null;
  }

  /** The string a node evaluates to: a literal, or an identifier bound to a constant string. */
  stringValue(node: JsNode | null | undefined): string | null {
    if (!node) return null;
    const s = literalString(node);
    if (s !== null) return s;
    const n = unwrap(node);
    return n.type === "Identifier" ? (this.constants.get(n.name)?.value ?? null) : null;
  }

  /** The literal node that supplies a node's string: the node itself or the constant's literal. */
  stringSource(node: JsNode | null | undefined): ConstantString | null {
    if (!node) return null;
    const s = literalString(node);
    if (s !== null) return { value: s, node: unwrap(node) };
    const n = unwrap(node);
    return n.type === "Identifier" ? (this.constants.get(n.name) ?? null) : null;
  }

  /**
   * Resolves a callee (or any member chain) through imports and requires.
   *
   * @example
   *   // const { createHash: h } = require("node:crypto"); h("md5")
   *   bindings.resolve(callee); // { module: "crypto", names: ["createHash"] }
   */
  resolve(node: JsNode): ResolvedCallee | null {
    if (node !== this.lastNode || this.lastChanges !== this.moduleChanges) {
      this.lastResolved = this.resolveNow(node);
      this.lastNode = node;
      this.lastChanges = this.moduleChanges;
    }
    return this.lastResolved;
  }

  private resolveNow(node: JsNode): ResolvedCallee | null {
    const chain = memberChain(node);
    if (!chain) return null;
    const { root, names } = chain;
    if (root.type === "Identifier") {
      const ref = this.modules.get(root.name);
      if (ref) return { module: ref.module, names: ref.export === null ? names : [ref.export, ...names] };
      return { module: null, names: [root.name, ...names] };
    }
    if (root.type === "ThisExpression") return { module: null, names: ["this", ...names] };
    const module = requiredModule(root);
    return module === null ? null : { module, names };
  }

  private bind(name: string, ref: ModuleRef): void {
    const prev = this.modules.get(name);
    if (prev === undefined) this.modules.set(name, ref);
    else if (prev !== AMBIGUOUS && (prev.module !== ref.module || prev.export !== ref.export)) this.modules.set(name, AMBIGUOUS);
    else return;
    this.moduleChanges++;
  }

  private onImport(node: JsNode): void {
    if (node.importKind === "type") return;
    const source = literalString(node.source);
    if (source === null) return;
    const module = resolveSpecifier(source);
    for (const s of node.specifiers) {
      if (s.importKind === "type") continue;
      if (s.type === "ImportSpecifier") {
        const imported = s.imported.type === "Identifier" ? s.imported.name : literalString(s.imported);
        this.bind(s.local.name, { module, export: imported === "default" ? null : imported });
      } else {
        this.bind(s.local.name, { module, export: null });
      }
    }
  }

  private onDeclarator(node: JsNode, parent: JsNode | null): void {
    const init = node.init ? unwrap(node.init) : null;
    if (!init) return;
    const id = node.id;
    const ref = this.refOf(init);
    if (ref) {
      if (id.type === "Identifier") this.bind(id.name, ref);
      else if (id.type === "ObjectPattern" && ref.export === null) {
        for (const p of id.properties) {
          if (p.type !== "Property") continue;
          const key = propertyName(p);
          const value = p.value.type === "AssignmentPattern" ? p.value.left : p.value;
          if (key !== null && value.type === "Identifier") this.bind(value.name, { module: ref.module, export: key });
        }
      }
      return;
    }
    if (parent?.kind === "const" && id.type === "Identifier") {
      const value = literalString(init);
      if (value === null) return;
      const prev = this.constants.get(id.name);
      if (prev === undefined) this.constants.set(id.name, { value, node: init });
      else if (prev !== AMBIGUOUS && prev.value !== value) this.constants.set(id.name, AMBIGUOUS);
    }
  }

  /** The module ref an initialiser evaluates to: `require("x")`, `require("x").y`, an alias of a bound name. */
  private refOf(init: JsNode): ModuleRef | null {
    const required = requiredModule(init);
    if (required !== null) return { module: required, export: null };
    if (init.type === "Identifier") return this.modules.get(init.name) ?? null;
    if (init.type === "MemberExpression") {
      const chain = memberChain(init);
      if (!chain || chain.names.length !== 1) return null;
      const module = chain.root.type === "Identifier" ? this.modules.get(chain.root.name) : null;
      const base = module && module.export === null ? module.module : requiredModule(chain.root);
      return base ? { module: base, export: chain.names[0]! } : null;
    }
    return null;
  }
}
