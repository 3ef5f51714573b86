import rule from "../../../src/engine/rules/nosql-injection";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `app.post("/login", async (req, res) => User.findOne({ email: String(req.body.email) }));`,
    `app.post("/login", async (req, res) => User.findOne({ email: { $eq: req.body.email } }));`,
    `app.post("/login", async (req, res) => User.findOne({ email: req.body.email.toLowerCase() }));`,
    // Route parameters are always strings.
    `app.get("/u/:id", async (req, res) => User.findOne({ slug: req.params.id }));`,
    // Sequelize/TypeORM options objects are not query documents.
    `app.post("/u", async (req, res) => User.findOne({ where: { email: req.body.email } }));`,
    // lodash and arrays.
    `app.post("/u", (req, res) => _.find(users, { email: req.body.email }));`,
    `app.post("/u", (req, res) => { if (typeof req.body.email !== "string") return; User.findOne({ email: req.body.email }); });`,
    // A $where or mapReduce function written in the code sends no request text to the server.
    `app.get("/o", async (req, res) => Order.find({ $where: function () { return this.total > 10; } }));`,
    `app.get("/o", async (req, res) => orders.mapReduce(function () { emit(this.customer, this.total); }, function (k, v) { return Array.sum(v); }));`,
    // Text concatenated into a field's value stays a string: no operator can appear.
    `app.get("/o", async (req, res) => Order.find({ note: "ref-" + req.query.ref }));`,
  ],
  invalid: [
    {
      code: `app.get("/o", async (req, res) => {
  const large = await Order.find().$where("this.total > " + req.query.min);
});`,
      errors: [{ line: 2, column: 23, message: /flows into Order\.find\(\)\.\$where\(\) as JavaScript the database server runs/ }],
    },
    {
      code: `app.post("/o", async (req, res) => {
  const totals = await orders.mapReduce(req.body.map, "function (k, v) { return Array.sum(v); }", { out: { inline: 1 } });
});`,
      errors: [{ line: 2, column: 24, message: /as JavaScript the database server runs \(mapReduce\)/ }],
    },
    {
      code: `app.post("/login", async (req, res) => {
  const user = await User.findOne({ email: req.body.email, password: req.body.password });
});`,
      errors: [{ line: 2, column: 22, message: /req\.body\.email \(request body\) flows into User\.findOne\(\) as a query document/ }],
    },
    {
      code: `app.get("/items", async (req, res) => {
  const items = await db.collection("items").find({ owner: req.query.owner }).toArray();
});`,
      errors: [{ line: 2, column: 23 }],
    },
    {
      code: `app.post("/search", (req, res) => Item.find(req.body));`,
      errors: [{ line: 1, column: 35 }],
    },
    {
      code: `app.get("/by", (req, res) => Item.find({ $where: "this.name === '" + req.params.name + "'" }));`,
      errors: [{ line: 1, column: 30 }],
    },
  ],
});
