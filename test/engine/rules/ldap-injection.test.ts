import rule from "../../../src/engine/rules/ldap-injection";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // ldap-escape's tags and ldapjs filter objects are safe; so is a constant filter.
    `const ldap = require("ldapjs"); const escape = require("ldap-escape"); const c = ldap.createClient({}); app.post("/l", (req, res) => c.search("dc=x", { filter: escape.filter\`(uid=\${req.body.u})\` }, () => {}));`,
    `const ldap = require("ldapjs"); const c = ldap.createClient({}); app.post("/l", (req, res) => c.search("dc=x", { filter: new ldap.EqualityFilter({ attribute: "uid", value: req.body.u }) }, () => {}));`,
    `const { Client } = require("ldapts"); const c = new Client({}); app.get("/l", (req, res) => c.search("dc=x", { filter: "(objectClass=person)" }));`,
    // passport-ldapauth fills {{username}} itself, escaped.
    `const LdapStrategy = require("passport-ldapauth"); passport.use(new LdapStrategy({ server: { searchFilter: "(uid={{username}})" } }));`,
  ],
  invalid: [
    {
      code: `const ldap = require("ldapjs");
const client = ldap.createClient({ url: "ldaps://x" });
app.post("/login", (req, res) => {
  client.search("ou=staff,dc=x", { filter: "(&(objectClass=person)(uid=" + req.body.username + "))" }, () => {});
});`,
      errors: [{ line: 4, column: 3, message: /req\.body\.username \(request body\) flows into client\.search\(\) as an LDAP search filter/ }],
    },
    {
      code: `import { Client } from "ldapts";
const ldap = new Client({ url: "ldaps://x" });
app.get("/g/:g", async (req, res) => ldap.search(\`cn=\${req.params.g},ou=groups,dc=x\`, { scope: "base" }));`,
      errors: [{ line: 3, column: 38, message: /as an LDAP distinguished name/ }],
    },
    {
      code: `const AD = require("activedirectory2");
const ad = new AD({ url: "ldaps://ad" });
app.get("/u/:u", (req, res) => ad.findUser(req.params.u, (err, user) => res.json(user)));`,
      errors: [{ line: 3, column: 32, confidence: "medium", message: /activedirectory builds around a user name/ }],
    },
  ],
});
