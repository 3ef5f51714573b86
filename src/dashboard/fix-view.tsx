/**
 * A finding's fix as a page shows it: the verdict (proven, plausible, rejected — in words, not
 * colour alone), what the patch does, the patch as a unified diff with each line marked by what
 * it is, why the verdict, and the attack re-run on the patched code; or why there is no patch.
 */
import type { Fix } from "../engine/types";
import { patchLines } from "../patch-lines";
import { shown } from "./format";

export function FixPanel({ fix, unavailable }: { fix?: Fix; unavailable?: string }) {
  if (!fix) return unavailable ? <p>No patch proposed: {shown(unavailable.replace(/\.$/, ""))}.</p> : null;
  const check = fix.check;
  return (
    <section aria-labelledby="fix-heading" id="fix">
      <h2 id="fix-heading">Fix</h2>
      <p>
        Verdict: <span class={`verdict-fix verdict-fix-${fix.verdict}`}>{fix.verdict}</span> ({fix.origin === "ai" ? "proposed by AI" : "mechanical"}).{" "}
        {shown(fix.description)}
      </p>
      <pre class="patch" aria-label="The patch (unified diff)">
        {patchLines(fix.diff).map((l) => (
          <span class={`patch-${l.kind}`}>{shown(l.text)}</span>
        ))}
      </pre>
      <p>{shown(fix.evidence)}</p>
      {check && (
        <table>
          <caption>
            The attack re-run on the patched code (payload <code>{shown(check.payload)}</code>; parsed with {check.parser.name} {check.parser.version}
            {check.parser.dialect ? ` (${check.parser.dialect})` : ""})
          </caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Input</th>
              <th scope="col">Rendered</th>
              <th scope="col">Parsed structure</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ["Original code, benign input", check.before],
                ["Patched code, benign input", check.benign],
                ["Patched code, attack input", check.attack],
              ] as const
            ).map(([run, r]) => (
              <tr>
                <th scope="row">{run}</th>
                <td>
                  <code>{shown(r.input)}</code>
                </td>
                <td>
                  <code>{shown(r.rendered)}</code>
                </td>
                <td>
                  <code>{shown(r.structure)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
