import { describe, expect, it } from "vitest";
import { addedLines, findingsOf, onlyFinding, patched, type ProjectFiles } from "./helpers";

const RULE = "nosql-injection";

/** Express routes that hand request data to a users service. */
const ROUTES = [
  `const express = require("express");`,
  `const users = require("../services/users");`,
  `const router = express.Router();`,
  `router.post("/users/find", async (req, res) => res.json(await users.byEmail(req.body.email, new Date(0))));`,
  `module.exports = router;`,
  ``,
].join("\n");

describe("NoSQL operator injection fixes", () => {
  it("compares a field the request fills with $eq, leaving constants and the code's own operators alone", async () => {
    const files: ProjectFiles = {
      "routes/users.js": ROUTES,
      "services/users.js": [
        `const User = require("../models/user");`,
        ``,
        `exports.byEmail = (email, since) => User.findOne({ email: email, active: true, createdAt: { $gte: since } });`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual([
      `exports.byEmail = (email, since) => User.findOne({ email: { $eq: email }, active: true, createdAt: { $gte: since } });`,
    ]);
    expect(finding.fix!.check?.attack.structure).toBe("fields: email, active, createdAt; operators: $eq at email, $gte at createdAt");
    expect(await findingsOf(patched(files, finding), RULE)).toEqual([]);
  });

  it("expands shorthand fields of a login query into $eq comparisons", async () => {
    const files: ProjectFiles = {
      "routes/session.js": [
        `const express = require("express");`,
        `const { findAccount } = require("../services/accounts");`,
        `const router = express.Router();`,
        `router.post("/login", async (req, res) => {`,
        `  const account = await findAccount(req.body.username, req.body.token);`,
        `  res.sendStatus(account ? 204 : 401);`,
        `});`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
      "services/accounts.js": [
        `const { MongoClient } = require("mongodb");`,
        `const accounts = new MongoClient(process.env.MONGO_URL).db("app").collection("accounts");`,
        ``,
        `exports.findAccount = async (username, token) => {`,
        `  return accounts.findOne({ username, token });`,
        `};`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix?.verdict).toBe("proven");
    expect(addedLines(finding.fix!.diff)).toEqual([`  return accounts.findOne({ username: { $eq: username }, token: { $eq: token } });`]);
    expect(await findingsOf(patched(files, finding), RULE)).toEqual([]);
  });

  it("offers no fix when the request's body is the whole query document", async () => {
    const files: ProjectFiles = {
      "routes/search.js": [
        `const express = require("express");`,
        `const { search } = require("../services/orders");`,
        `const router = express.Router();`,
        `router.post("/orders/search", async (req, res) => res.json(await search(req.body)));`,
        `module.exports = router;`,
        ``,
      ].join("\n"),
      "services/orders.js": [`const Order = require("../models/order");`, `exports.search = (filter) => Order.find(filter);`, ``].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix).toBeUndefined();
    expect(finding.fixUnavailable).toMatch(/not written as an object in the call/);
  });

  it("offers no fix for data in $where JavaScript, where $eq would not apply", async () => {
    const files: ProjectFiles = {
      "routes/users.js": ROUTES,
      "services/users.js": [
        `const User = require("../models/user");`,
        ``,
        `exports.byEmail = (email) => User.find({ $where: "this.email == '" + email + "'" });`,
        ``,
      ].join("\n"),
    };
    const finding = await onlyFinding(files, RULE);
    expect(finding.fix).toBeUndefined();
    expect(finding.fixUnavailable).toMatch(/JavaScript the database server runs/);
  });
});
