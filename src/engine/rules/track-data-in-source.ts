/**
 * track-data-in-source: magnetic-stripe track data (Track 1 `%B<PAN>^<NAME>^<YYMM>…?`, Track 2
 * `;<PAN>=<YYMM>…?`, also without sentinels and as EMV "track 2 equivalent" with a `D`
 * separator) written in a file. The discretionary data can hold the PVV and CVV, so a track is
 * sensitive authentication data that must never be kept after authorization, even encrypted
 * (PCI DSS 3.3.1.1). It replaces the card-number finding for the track's PAN. Tracks of
 * published test cards are reported as `info`, tagged `test-card`.
 */
import { cardDataOf, isLogPath } from "../detect/file-card-data";
import { CARD_BRAND_NAMES } from "../detect/pan";
import { maskPan } from "../mask";
import { createRule } from "../rule";

export default createRule({
  id: "track-data-in-source",
  meta: {
    title: "Magnetic-stripe track data in source",
    description:
      "Full Track 1 or Track 2 magnetic-stripe data (card number, expiry, service code and discretionary data that can hold PVV/CVV) is written in the file. PCI DSS 3.3.1.1 forbids keeping track data after authorization, even encrypted.",
    severity: "critical",
    confidence: "high",
    category: "card-data",
    cwe: ["CWE-312", "CWE-532"],
    owasp: ["A04:2021", "A09:2021"],
    pci: ["3.3.1.1"],
    remediation:
      "Delete the track data from the file, its history and any log or dump it came from, and find the code path that wrote it: pass swiped or EMV track data straight to the payment processor during authorization and never log, cache or persist it. Keep only a processor token and, if needed, the masked card number.",
    references: [
      "https://cwe.mitre.org/data/definitions/312.html",
      "https://cwe.mitre.org/data/definitions/532.html",
      "https://owasp.org/Top10/A04_2021-Insecure_Design/",
      "https://docs-prv.pcisecuritystandards.org/PCI%20DSS/Standard/PCI-DSS-v4_0_1.pdf",
    ],
    tags: ["pci-dss", "card-data", "sensitive-authentication-data", "track-data"],
    languages: ["javascript", "typescript", "sql", "text"],
    supersedes: ["card-number-in-source"],
  },
  create(ctx) {
    return {
      text() {
        const inLog = isLogPath(ctx.file.path);
        for (const track of cardDataOf(ctx).tracks) {
          ctx.redact({ start: track.start, end: track.end, kind: "pan" });
          const card = `${CARD_BRAND_NAMES[track.brand]} card ${maskPan(track.digits)}`;
          if (track.testCard) {
            ctx.report({
              start: track.start,
              end: track.end,
              severity: "info",
              tags: ["test-card"],
              message: `Track ${track.track} magnetic-stripe data for the published test ${card} (${track.testCardProviders.join(", ")}); not cardholder data, listed for information only.`,
              fingerprintKey: maskPan(track.digits),
            });
            continue;
          }
          ctx.report({
            start: track.start,
            end: track.end,
            tags: inLog ? ["log"] : [],
            message: `Track ${track.track} magnetic-stripe data for ${card}${inLog ? " in a log file" : ""}: track data must never be stored after authorization, even encrypted (PCI DSS 3.3.1.1).`,
            fingerprintKey: maskPan(track.digits),
          });
        }
      },
    };
  },
});
