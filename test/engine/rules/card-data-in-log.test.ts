import rule from "../../../src/engine/rules/card-data-in-log";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // Masked, truncated or tokenised values are what logs should hold.
    `console.log("charge", { last4: card.last4, token: card.token, brand: card.brand });`,
    `logger.info("charge ok", { maskedPan: mask(cardNumber), orderId });`,
    // Names that mention cards but are not card data.
    `console.log("card count", cardCount, cardType, pinned);`,
    // Not a logger.
    `store.info({ cardNumber });`,
    `metrics.log(cardNumber.length);`,
    // Test files are skipped.
    { path: "src/__tests__/pay.test.ts", code: `console.log(cardNumber);` },
  ],
  invalid: [
    {
      code: `function pay(cardNumber) {\n  console.log("paying with", cardNumber);\n}`,
      errors: [{ line: 2, column: 3, severity: "high", message: /card number \(cardNumber\) written to a log/ }],
    },
    {
      code: `app.post("/pay", (req, res) => {\n  const { cardNumber, cvv } = req.body;\n  logger.info("checkout", { cardNumber, cvv });\n});`,
      errors: [{ line: 3, column: 3, severity: "critical", message: /card number, CVV\/CVC/ }],
    },
    {
      code: `req.log.warn(\`declined \${payment.card_number} pin=\${payment.pin}\`);`,
      errors: [{ line: 1, column: 1, severity: "critical" }],
    },
    {
      code: `this.logger.debug("swipe", { track2: reader.track2 });`,
      errors: [{ line: 1, column: 1, severity: "critical", message: /track data/ }],
    },
  ],
});
