/**
 * What a kind of injection needs to be fixed (src/engine/fixes/index.ts keeps one per kind the
 * simulator proves): a generator that rewrites the sink from the parsed source, and an
 * equivalence check that reads the original and the patched sink back and compares what each
 * builds from benign input, and from the attack, as its consumer receives it.
 */
import type { JsNode } from "../parse/js";
import type { FixCheck, SqlDialect } from "../types";
import type { Edit } from "./patch";

/** A sink call in a parsed file: the call node, its ancestors (outermost first), the file's text. */
export interface SinkSite {
  node: JsNode;
  ancestors: readonly JsNode[];
  source: string;
  /** The SQL dialect of the sink's client, when the model knows it. */
  dialect?: SqlDialect;
  /** The file is TypeScript (a patch may annotate what it adds). */
  typescript: boolean;
}

export type Patch = { edits: Edit[]; description: string } | { reason: string };

export type Equivalence =
  /** Benign input gives the original's structure, and the attack leaves it unchanged. */
  { outcome: "same"; evidence: string; check: FixCheck } | { outcome: "different" | "unknown"; evidence: string };

export interface FixKind {
  /** Node types a sink of this kind is reported at, in the original and in the patched code. */
  sinkTypes: ReadonlySet<string>;
  patch(sink: SinkSite): Patch;
  equivalence(original: SinkSite, patched: SinkSite, payload: string | undefined): Promise<Equivalence>;
}
