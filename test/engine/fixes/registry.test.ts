/**
 * Every kind registered in FIX_KINDS proves the fix of a textbook injection of its kind, in a
 * route → service project, so no kind is registered untested.
 */
import { describe, expect, it } from "vitest";
import { FIX_KINDS } from "../../../src/engine/fixes/index";
import type { SimulatedKind } from "../../../src/engine/types";
import { onlyFinding, type ProjectFiles } from "./helpers";

/** One service with a textbook injection per kind with a fix generator, and the rule that finds it. */
const CASES: Partial<Record<SimulatedKind, { rule: string; service: string }>> = {
  sql: {
    rule: "sql-injection",
    service: `const mysql = require("mysql2/promise");\nconst pool = mysql.createPool({});\nexports.run = (v) => pool.query("SELECT * FROM orders WHERE ref = '" + v + "'");\n`,
  },
  shell: { rule: "command-injection", service: `const { execSync } = require("child_process");\nexports.run = (v) => execSync("whois " + v);\n` },
  path: { rule: "path-traversal", service: `const fs = require("fs");\nexports.run = (v) => fs.readFileSync("/srv/reports/" + v);\n` },
  nosql: { rule: "nosql-injection", service: `const Order = require("../models/order");\nexports.run = (v) => Order.findOne({ ref: v });\n` },
  url: { rule: "open-redirect", service: `exports.run = (v, res) => res.redirect(v);\n` },
  html: { rule: "xss", service: `exports.run = (v, res) => res.send("<p>Order " + v + " was not found</p>");\n` },
};

const ROUTE = [
  `const express = require("express");`,
  `const service = require("../services/service");`,
  `const router = express.Router();`,
  `router.post("/run", async (req, res) => res.send(await service.run(req.body.v, res)));`,
  `module.exports = router;`,
  ``,
].join("\n");

describe("FIX_KINDS", () => {
  it("has a case below for every registered kind", () => {
    expect(Object.keys(FIX_KINDS).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const kind of Object.keys(FIX_KINDS) as SimulatedKind[]) {
    it(`proves the fix of a textbook ${kind} injection`, async () => {
      const { rule, service } = CASES[kind]!;
      const files: ProjectFiles = { "routes/run.js": ROUTE, "services/service.js": service };
      const finding = await onlyFinding(files, rule);
      expect(finding.fix?.verdict).toBe("proven");
    });
  }
});
