/**
 * Card numbers, CVV/CVC, PINs or track data passed to a logger (`console.log`, `logger.info`,
 * `req.log.warn`…). Logs are copied, shipped and kept far longer than transactions: a full PAN
 * in a log is stored cardholder data (PCI DSS 3.5.1, which names audit and troubleshooting logs),
 * and sensitive authentication data may never be kept after authorisation, logs included
 * (3.3.1). The data is recognised by the names it is logged under (js/card-data-names.ts).
 */
import type { JsNode } from "../parse/js";
import { CARD_DATA_HINT, cardDataNames, describeCardData } from "../js/card-data-names";
import { isLogCall } from "../js/card-sinks";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";
import { cardFlows } from "../taint/index";

export default createRule({
  id: "card-data-in-log",
  meta: {
    title: "Card data written to a log",
    description:
      "A card number, CVV/CVC, PIN or magnetic-stripe data is passed to a logger. PCI DSS 3.5.1 requires stored PANs to be unreadable, logs included, and 3.3.1 forbids keeping sensitive authentication data after authorisation anywhere, logs included.",
    severity: "high",
    confidence: "medium",
    category: "logging",
    cwe: ["CWE-532", "CWE-312"],
    owasp: ["A09:2021", "A04:2021"],
    pci: ["3.3.1", "3.5.1", "10.3.2"],
    remediation:
      "Log only what identifies the transaction: a token, the last four digits or a masked PAN (first six and last four at most), never the CVV, PIN or track data. Mask at the logger too (a redaction list for card fields) so a future log line cannot leak them.",
    references: [
      "https://cwe.mitre.org/data/definitions/532.html",
      "https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/",
      "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html",
    ],
    tags: ["security", "pci-dss", "card-data", "logging"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path)) return {};
    const named = new Set<number>();
    const flows = cardFlows(ctx, "log");
    const why = (sad: boolean) =>
      sad
        ? "sensitive authentication data may never be kept after authorisation (PCI DSS 3.3.1)"
        : "a full card number in a log is stored cardholder data (PCI DSS 3.5.1)";
    return {
      js: {
        Program: flows.Program,
        ...(CARD_DATA_HINT.test(ctx.file.text) && {
          CallExpression(node: JsNode) {
            if (!isLogCall(node.callee)) return;
            const found = cardDataNames(node.arguments as JsNode[]);
            if (found.size === 0) return;
            const { kinds, names, sad, fingerprintKey } = describeCardData(found);
            named.add(node.start);
            ctx.report({
              start: node.start,
              end: node.end,
              severity: sad ? "critical" : "high",
              message: `${kinds} (${names}) written to a log: ${why(sad)}.`,
              fingerprintKey,
            });
          },
        }),
      },
      end() {
        flows.report(named, (kinds, sad) => ({
          severity: sad ? "critical" : "high",
          message: `${kinds} written to a log: the logged value holds card data read elsewhere in the code; ${why(sad)}.`,
        }));
      },
    };
  },
});
