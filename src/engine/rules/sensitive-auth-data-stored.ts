/**
 * CVV/CVC, PINs or magnetic-stripe track data written to a database from code: ORM and driver
 * writes (`Payment.create({ cvv })`, `prisma.card.create({ data: { cvv } })`,
 * `knex("cards").insert({ pin })`, `db.collection("cards").insertOne({ track2 })`,
 * `cardRepository.save(...)`, `new Card({ cvv }).save()`) and SQL writes with their values
 * (`db.query("INSERT … VALUES (?, ?)", [pan, cvv])`). PCI DSS 3.3.1 forbids keeping sensitive
 * authentication data after authorisation, even encrypted; sql-sensitive-auth-data-column finds
 * the column, this rule finds the write. The data is recognised by the names it travels under
 * (js/card-data-names.ts). Card numbers are left alone here: they may be stored when rendered
 * unreadable, which the write does not show.
 */
import type { JsNode } from "../parse/js";
import { cardDataNames, describeCardData } from "../js/card-data-names";
import { CARD_CONTEXT, writtenValues } from "../js/card-sinks";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";
import { cardFlows } from "../taint/index";
import { F_SAD } from "../taint/value";

/** Words a file must contain for the name-based check to have anything to find. */
const SAD_HINT = /cvv|cvc|cvn|cvd|cav|csc|cid|pin|track|stripe|swipe|verification|security_?code/i;
const WHY = "sensitive authentication data may not be kept after authorisation, even encrypted (PCI DSS 3.3.1)";

/** ORM and driver methods that write their arguments (Mongoose, Sequelize, Prisma, TypeORM, MikroORM, knex, MongoDB). */
export default createRule({
  id: "sensitive-auth-data-stored",
  meta: {
    title: "CVV, PIN or track data written to a database",
    description:
      "Code writes card verification codes (CVV/CVC/CID), PINs or PIN blocks, or magnetic-stripe track data to a database through an ORM, a driver or an INSERT/UPDATE. PCI DSS 3.3.1 forbids keeping sensitive authentication data after authorisation, even encrypted.",
    severity: "critical",
    confidence: "medium",
    category: "card-data",
    cwe: ["CWE-312"],
    owasp: ["A04:2021"],
    pci: ["3.3.1", "3.3.1.1", "3.3.1.2", "3.3.1.3"],
    remediation:
      "Send the CVV, PIN block or track data straight to the payment processor during authorisation and never write it to a database, cache or queue. Store only what the processor returns (a token, the verification result such as `cvc_check`), and drop any column or field that held it.",
    references: [
      "https://cwe.mitre.org/data/definitions/312.html",
      "https://owasp.org/Top10/A04_2021-Insecure_Design/",
      "https://withpci.com/requirements/3/3.3/3.3.1.html",
    ],
    tags: ["security", "pci-dss", "card-data", "sensitive-authentication-data"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path)) return {};
    const named = new Set<number>();
    // A stored card number alone is another requirement (3.5.1: stored unreadable); this rule is about what may not be stored at all.
    const flows = cardFlows(ctx, "store", F_SAD);
    return {
      js: {
        Program: flows.Program,
        ...(SAD_HINT.test(ctx.file.text) && {
          CallExpression(node: JsNode) {
            const values = writtenValues(node);
            if (!values) return;
            // A bare `pin` is a card PIN only where the name or the store says cards or payments (not `User.update({ pin })`).
            const cardStore = CARD_CONTEXT.test(ctx.file.text.slice(node.callee.start, node.callee.end));
            const found = [...cardDataNames(values)].filter(
              ([name, kind]) => kind !== "card number" && (kind !== "PIN" || cardStore || CARD_CONTEXT.test(name)),
            );
            if (found.length === 0) return;
            const { kinds, names, fingerprintKey } = describeCardData(found);
            named.add(node.start);
            ctx.report({ start: node.start, end: node.end, message: `${kinds} (${names}) written to a database: ${WHY}.`, fingerprintKey });
          },
        }),
      },
      end() {
        flows.report(named, () => ({
          message: `CVV, PIN or track data written to a database: the written value holds sensitive authentication data read elsewhere in the code; ${WHY}.`,
        }));
      },
    };
  },
});
