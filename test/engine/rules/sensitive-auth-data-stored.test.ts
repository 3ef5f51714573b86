import rule from "../../../src/engine/rules/sensitive-auth-data-stored";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // Only the processor's verdict and non-sensitive fields are stored.
    `await Payment.create({ token, last4, brand, cvcCheck: result.cvc_check });`,
    // Sent to the processor, not stored.
    `await stripe.paymentMethods.create({ card: { number, cvc } });`,
    // Not a database: in-memory state and form values.
    `form.update({ cvv });`,
    `this.setState({ cvv: event.target.value });`,
    // A read, not a write.
    `await db.query("SELECT * FROM payments WHERE id = ?", [cvv]);`,
    `db.prepare("SELECT * FROM payments WHERE cvv_result = ?").get(cvv);`,
    // A login PIN on a user record is not a card PIN.
    `await User.update({ pin }, { where: { id } });`,
    // A hostile 5,000-call chain before the write is given up on, not followed into a stack overflow.
    `await db${".next()".repeat(5000)}.save({ cvv });`,
    // Test files are skipped.
    { path: "src/__tests__/store.test.ts", code: `await Payment.create({ cvv: "123" });` },
  ],
  invalid: [
    {
      code: `export async function save(req) {\n  const { cvv, token } = req.body;\n  await Payment.create({ token, cvv });\n}`,
      errors: [{ line: 3, column: 9, severity: "critical", message: /CVV\/CVC \(cvv\) written to a database.*3\.3\.1/ }],
    },
    {
      code: `await this.cardRepository.save({ token, securityCode: dto.securityCode });`,
      errors: [{ line: 1, column: 7, severity: "critical" }],
    },
    {
      code: `await db.collection("terminals").insertOne({ trackData: swipe.raw });`,
      errors: [{ line: 1, column: 7, message: /track data/ }],
    },
    {
      code: `await env.DB.prepare("INSERT INTO payments (token, cvv) VALUES (?1, ?2)").bind(token, body.cvv).run();`,
      errors: [{ line: 1, column: 7, message: /CVV\/CVC \(body\.cvv\)/ }],
    },
    {
      code: `db.prepare("UPDATE swipes SET data = ? WHERE id = ?").run(reader.track1, id);`,
      errors: [{ line: 1, column: 1, message: /track data/ }],
    },
    {
      code: "await client.query(`INSERT INTO card_pins (card_id, pin) VALUES ($1, $2)`, [id, payment.pin]);",
      errors: [{ line: 1, column: 7, message: /PIN \(payment\.pin\)/ }],
    },
  ],
});
