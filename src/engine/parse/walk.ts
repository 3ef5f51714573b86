/**
 * One traversal of an ESTree AST that runs every rule's listeners (STYLE.md §7). Iterative, so
 * deeply nested input cannot overflow the stack; bounded in nodes and depth. It walks any key
 * that holds nodes, so TypeScript and JSX node types need no visitor-key table.
 */
import type { JsNode } from "./js";

export type WalkHandler = (node: JsNode, parent: JsNode | null) => void;

export interface WalkBounds {
  maxNodes: number;
  maxDepth: number;
}

export interface WalkOutcome {
  nodes: number;
  /** Set when a bound stopped the walk early. */
  stopped?: "ast-too-large" | "ast-too-deep";
}

const SKIP = new Set(["type", "start", "end", "loc", "range"]);

interface Frame {
  node: JsNode;
  parent: JsNode | null;
  depth: number;
  exit: boolean;
}

/**
 * Visits every node depth-first in source order, calling `enter[type]` before the children and
 * `exit[type]` after them.
 */
export function walk(
  root: JsNode,
  enter: ReadonlyMap<string, WalkHandler>,
  exit: ReadonlyMap<string, WalkHandler>,
  bounds: WalkBounds,
): WalkOutcome {
  const stack: Frame[] = [{ node: root, parent: null, depth: 0, exit: false }];
  const children: JsNode[] = [];
  let nodes = 0;
  let stopped: WalkOutcome["stopped"];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { node, parent } = frame;
    if (frame.exit) {
      exit.get(node.type)!(node, parent);
      continue;
    }
    if (++nodes > bounds.maxNodes) {
      stopped = "ast-too-large";
      break;
    }
    enter.get(node.type)?.(node, parent);
    if (exit.has(node.type)) stack.push({ node, parent, depth: frame.depth, exit: true });
    if (frame.depth >= bounds.maxDepth) {
      stopped ??= "ast-too-deep";
      continue;
    }
    children.length = 0;
    for (const key in node) {
      if (SKIP.has(key)) continue;
      const value = node[key];
      if (value === null || typeof value !== "object") continue;
      if (Array.isArray(value)) {
        for (const item of value) if (item !== null && typeof item === "object" && typeof item.type === "string") children.push(item);
      } else if (typeof value.type === "string") {
        children.push(value);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ node: children[i]!, parent: node, depth: frame.depth + 1, exit: false });
    }
  }
  return stopped ? { nodes, stopped } : { nodes };
}
