/**
 * One set of file trackers (bindings, constants, ancestor trails, hash calls) per file, shared
 * by every rule that asks for them: a dozen rules used to build their own and compose their
 * listeners, so the same bookkeeping ran several times over every node. A tracker is made when
 * a rule first asks for it in `create()`; the engine runs the trackers' listeners once per node,
 * before any rule's listeners, in the order the trackers were made (a tracker's dependencies
 * first).
 */
import type { JsListener } from "../rule";
import { AncestorTrail, FUNCTION_TYPES } from "./ancestor-trail";
import { FileBindings } from "./file-bindings";
import { FileConstants } from "./file-constants";
import { HASH_CALL_ANCESTORS, HashCallCollector } from "./hash-calls";

export class SharedTrackers {
  private fileBindings: FileBindings | null = null;
  private fileConstants: FileConstants | null = null;
  private hashCollector: HashCallCollector | null = null;
  /** Trails by the sorted set of node types they track: rules tracking the same types share one. */
  private readonly trails = new Map<string, AncestorTrail>();
  private readonly sets: Array<Record<string, JsListener>> = [];
  private sealed = false;
  /** How many times a tracker was asked for: the engine tells which rules use the trackers by it. */
  private asked = 0;

  get requests(): number {
    return this.asked;
  }

  /** What the file's names stand for (imports, requires, constant strings). */
  get bindings(): FileBindings {
    this.asked++;
    return (this.fileBindings ??= this.add(new FileBindings()));
  }

  /** Numbers and option objects the file's `const`s hold. */
  get constants(): FileConstants {
    this.asked++;
    return (this.fileConstants ??= this.add(new FileConstants()));
  }

  /** The hash computations in the file; read `uses` in `end()`. */
  get hashCalls(): HashCallCollector {
    this.asked++;
    return (this.hashCollector ??= this.add(new HashCallCollector(this.bindings, this.trail(HASH_CALL_ANCESTORS))));
  }

  /** A stack of the enclosing nodes of these types and every function (see AncestorTrail). */
  trail(types: readonly string[]): AncestorTrail {
    this.asked++;
    const key = [...new Set([...types, ...FUNCTION_TYPES])].sort().join(",");
    let trail = this.trails.get(key);
    if (!trail) {
      trail = this.add(new AncestorTrail(types));
      this.trails.set(key, trail);
    }
    return trail;
  }

  /**
   * The trackers' listeners, in the order the trackers were made. After this no tracker can be
   * added: one asked for during the walk would have missed the nodes before it.
   */
  listenerSets(): ReadonlyArray<Record<string, JsListener>> {
    this.sealed = true;
    return this.sets;
  }

  private add<T extends { listeners: Record<string, JsListener> }>(tracker: T): T {
    if (this.sealed) throw new Error("shared trackers must be asked for in create(), before the walk");
    this.sets.push(tracker.listeners);
    return tracker;
  }
}
