import rule from "../../../src/engine/rules/card-number-in-response";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // Masked, truncated or tokenised values are what responses should hold.
    `app.get("/c", (req, res) => res.json({ last4: card.last4, token: card.token, brand: card.brand }));`,
    `app.get("/c", (req, res) => res.json({ cardNumber: mask(card.cardNumber) }));`,
    `app.get("/c", (req, res) => res.send({ cardNumber: card.cardNumber.replace(/\\d(?=\\d{4})/g, "*") }));`,
    `app.get("/c", (req, res) => res.json({ pan: card.pan.slice(-4) }));`,
    // Not a response object.
    `await gateway.send({ cardNumber });`,
    `queue.write(JSON.stringify({ cardNumber }));`,
    // A return outside a NestJS route method is not a response.
    `class Cards { @Get() list() { return []; } raw(card) { return { cardNumber: card.cardNumber }; } }`,
    // Names that mention cards but hold something else.
    `app.get("/c", (req, res) => res.json({ cardCount, cardType, pinned: true }));`,
    // Test files are skipped.
    { path: "src/__tests__/cards.test.ts", code: `res.json({ cardNumber });` },
  ],
  invalid: [
    {
      code: `app.get("/c", async (req, res) => {\n  const card = await load();\n  res.status(200).json({ cardNumber: card.number });\n});`,
      errors: [{ line: 3, column: 3, severity: "high", message: /card number \(cardNumber\) sent in an HTTP response.*3\.4\.1/ }],
    },
    {
      code: `fastify.get("/c", async (request, reply) => {\n  reply.code(200).send(card.card_number);\n});`,
      errors: [{ line: 2, column: 3, severity: "high" }],
    },
    {
      code: `router.get("/c", async (ctx) => {\n  ctx.body = { card_number: row.card_number, cvv: row.cvv };\n});`,
      errors: [{ line: 2, column: 3, severity: "critical", message: /card number, CVV\/CVC.*3\.3\.1/ }],
    },
    {
      code: `export async function GET() {\n  return new Response(JSON.stringify({ cardNumber: row.cardNumber }));\n}`,
      errors: [{ line: 2, column: 10, severity: "high" }],
    },
    {
      code: `@Controller("c")\nclass C {\n  @Get(":id")\n  async one() {\n    const rows = await all();\n    rows.forEach((r) => { return r.cardNumber; });\n    return { track2: rows[0].track2 };\n  }\n}`,
      errors: [{ line: 7, column: 5, severity: "critical", message: /track data/ }],
    },
  ],
});
