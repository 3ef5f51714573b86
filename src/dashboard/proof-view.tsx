/**
 * An attack proof as a page shows it: the benign and the attack run side by side — input, the
 * statement (or command, or markup) as rendered, and its parsed structure — with what the attack
 * added marked (<ins>) against what the benign run had (<del>), then the verdict and its evidence.
 */
import type { z } from "zod";
import type { ProofView as ProofShape } from "../scans/views";
import { shown } from "./format";
import { diffTokens, type DiffPart } from "../proof-diff";

type Proof = z.infer<typeof ProofShape>;

/** One side of a diff: text both runs share plain, this side's own tokens marked (<ins> for the attack's, <del> for the benign run's). */
function Marked({ parts, side }: { parts: DiffPart[]; side: "benign" | "attack" }) {
  return <>{parts.map((p) => (!p.changed ? p.text : side === "attack" ? <ins>{p.text}</ins> : <del>{p.text}</del>))}</>;
}

export function ProofPanel({ proof }: { proof: Proof }) {
  const rendered = diffTokens(shown(proof.benign.rendered), shown(proof.attack.rendered));
  const structure = diffTokens(shown(proof.benign.structure), shown(proof.attack.structure));
  return (
    <section aria-labelledby="proof-heading" id="proof">
      <h2 id="proof-heading">Proof: {proof.kind} attack simulated</h2>
      <p>
        Verdict: <span class={proof.verdict === "proven" ? "verdict-proven" : ""}>{proof.verdict}</span>. {shown(proof.evidence)}
      </p>
      <div class="proof">
        {(["benign", "attack"] as const).map((side) => (
          <section aria-labelledby={`proof-${side}`}>
            <h3 id={`proof-${side}`}>{side === "benign" ? "Benign input" : "Attack input"}</h3>
            <p>
              Input: <code>{shown(proof[side].input)}</code>
            </p>
            <h4>Rendered</h4>
            <pre>
              <Marked parts={rendered[side]} side={side} />
            </pre>
            <h4>Parsed structure</h4>
            <pre>
              <Marked parts={structure[side]} side={side} />
            </pre>
          </section>
        ))}
      </div>
      <p class="muted">
        Marked text: <ins>added by the attack</ins>, <del>present only in the benign run</del>. Parsed with {proof.parser.name} {proof.parser.version}
        {proof.parser.dialect ? ` (${proof.parser.dialect})` : ""}.
      </p>
    </section>
  );
}
