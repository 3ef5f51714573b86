import rule from "../../../src/engine/rules/nosql-injection";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // simple_query_string is made for user input; variables keep GraphQL values out of the document.
    `const { Client } = require("@elastic/elasticsearch"); const es = new Client({}); app.get("/s", (req, res) => es.search({ query: { simple_query_string: { query: req.query.q } } }));`,
    `const { request } = require("graphql-request"); app.get("/p/:id", (req, res) => request("https://api/graphql", "query ($id: ID!) { payment(id: $id) { id } }", { id: req.params.id }));`,
    `app.get("/p/:id", (req, res) => fetch("https://api/graphql", { method: "POST", body: JSON.stringify({ query: "query ($id: ID!) { p(id: $id) { id } }", variables: { id: req.params.id } }) }));`,
    // A GraphQL server executing the client's document as a whole: the schema, not the text, is the boundary.
    `const { graphql, parse } = require("graphql"); app.post("/graphql", async (req, res) => res.json(await graphql({ schema, source: req.body.query, variableValues: req.body.variables })));`,
    `const { parse, execute } = require("graphql"); app.post("/graphql", async (req, res) => res.json(await execute({ schema, document: parse(req.body.query) })));`,
    // A search API's own "query" field that is no GraphQL document.
    `app.get("/s", (req, res) => fetch("https://search/api", { method: "POST", body: JSON.stringify({ query: "name:" + req.query.q }) }));`,
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
    {
      code: `const { Client } = require("@elastic/elasticsearch");
const es = new Client({ node: "http://es:9200" });
app.get("/s", (req, res) => es.search({ query: { query_string: { query: "merchant:" + req.user.merchant + " AND " + req.query.q } } }));`,
      errors: [{ line: 3, column: 29, confidence: "high", message: /as Lucene query syntax \(query_string\) beside the application's own clauses/ }],
    },
    {
      code: `const { Client } = require("@elastic/elasticsearch");
const es = new Client({ node: "http://es:9200" });
app.get("/s", (req, res) => es.search({ body: { query: { query_string: { query: req.query.q } } } }));`,
      errors: [{ line: 3, column: 29, confidence: "medium" }],
    },
    {
      code: `const { GraphQLClient } = require("graphql-request");
const client = new GraphQLClient("https://api/graphql");
app.get("/p/:id", (req, res) => client.request(\`{ payment(id: "\${req.params.id}") { id } }\`));`,
      errors: [{ line: 3, column: 33, message: /as GraphQL query text/ }],
    },
    {
      code: `app.get("/p/:id", (req, res) => fetch("https://api/graphql", { method: "POST", body: JSON.stringify({ query: "{ payment(id: \\"" + req.params.id + "\\") { id } }" }) }));`,
      errors: [{ line: 1, column: 86, confidence: "medium" }],
    },
  ],
});
