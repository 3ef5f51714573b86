import rule from "../../../src/engine/rules/plaintext-password";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // Hashed before it is stored.
    `app.post("/register", async (req, res) => {\n  const { email, password } = req.body;\n  const passwordHash = await bcrypt.hash(password, 12);\n  await User.create({ email, passwordHash });\n});`,
    `app.post("/register", async (req, res) => {\n  let { email, password } = req.body;\n  password = await argon2.hash(password);\n  await User.create({ email, password });\n});`,
    `app.post("/register", async (req, res) => {\n  await db.query("INSERT INTO users (email, password) VALUES (?, ?)", [req.body.email, await bcrypt.hash(req.body.password, 12)]);\n});`,
    // Checked with the library's verify.
    `app.post("/login", async (req, res) => {\n  const user = await User.findOne({ email: req.body.email });\n  if (!user || !(await bcrypt.compare(req.body.password, user.password))) return res.sendStatus(401);\n});`,
    // A confirmation field kept on a form object is no stored password.
    `app.post("/register", (req, res) => {\n  const form = req.session.form;\n  if (req.body.password !== form.passwordConfirmation) return res.status(400).end();\n});`,
    // Two fields of the same form: confirmation, not storage.
    `app.post("/register", (req, res) => {\n  const { password, confirmPassword } = req.body;\n  if (password !== confirmPassword) return res.status(400).end();\n});`,
    // A model hook hashes it (same file here; another file of the project counts too).
    `userSchema.pre("save", async function () { this.password = await bcrypt.hash(this.password, 12); });\napp.post("/register", async (req, res) => {\n  const { email, password } = req.body;\n  await User.create({ email, password });\n});`,
    // A property set but never saved; a field that is no password.
    `app.post("/preview", (req, res) => {\n  const form = {};\n  form.password = req.body.password;\n  res.render("confirm", { form: { email: req.body.email } });\n});`,
    `app.post("/settings", async (req, res) => {\n  await Settings.update({ passwordPolicy: req.body.passwordPolicy });\n});`,
    // A repository's parameter may hold the hash its caller made: stores of parameters are not judged.
    `async function insertUser(email, password) {\n  return db.collection("users").insertOne({ email, password });\n}`,
    // A local helper that does more than compare.
    `function check(password, user) {\n  function same(a, b) { return bcrypt.compareSync(a, b); }\n  return same(password, user.password);\n}`,
    // Not the request's password.
    `async function seed() {\n  await User.create({ email: "a@b.c", password: hashed });\n}`,
    { path: "test/auth.test.js", code: `app.post("/r", async (req) => { await User.create({ password: req.body.password }); });` },
  ],
  invalid: [
    {
      code: `router.post("/register", async (req, res) => {\n  const { email, password } = req.body;\n  const user = await User.create({ email, password });\n  res.json({ id: user.id });\n});`,
      errors: [{ line: 3, column: 43, severity: "high", confidence: "medium", message: /saved on the model as typed/ }],
    },
    {
      code: `router.post("/login", async (req, res) => {\n  const user = await User.findOne({ email: req.body.email });\n  if (!user || user.password !== req.body.password) return res.sendStatus(401);\n});`,
      errors: [{ line: 3, column: 16, confidence: "high", message: /compared with the stored password as text/ }],
    },
    {
      code: `router.post("/login", async (req, res) => {\n  const { username, password } = req.body;\n  const [rows] = await pool.query("SELECT id FROM users WHERE username = ? AND password = ?", [username, password]);\n});`,
      errors: [{ line: 3, column: 106, message: /compares the password column/ }],
    },
    {
      code: `export async function POST(request: Request) {\n  const body = await request.json();\n  await prisma.user.create({ data: { email: body.email, password: body.password } });\n}`,
      errors: [{ line: 3, column: 57, message: /saved on the model/ }],
    },
    {
      code: `router.post("/signup", async (req, res) => {\n  const { username, password } = req.body;\n  await pool.query("INSERT INTO users (username, password) VALUES ($1, $2)", [username, password]);\n});`,
      errors: [{ line: 3, column: 89, confidence: "high", message: /written to the database as typed/ }],
    },
    {
      code: `router.post("/reset/:id", async (req, res) => {\n  const user = await User.findById(req.params.id);\n  user.password = req.body.newPassword;\n  await user.save();\n});`,
      errors: [{ line: 3, column: 3, message: /saved on the model/ }],
    },
    {
      code: `router.post("/login", async (req, res) => {\n  const user = await Users.findOne({ where: { email: req.body.email, password: req.body.password } });\n});`,
      errors: [{ line: 2, column: 70, message: /looked up by the password as typed/ }],
    },
    {
      code: `const crypto = require("crypto");\nfunction check(req, user) {\n  return crypto.timingSafeEqual(Buffer.from(user.password), Buffer.from(req.body.password));\n}`,
      errors: [{ line: 3, column: 10, message: /compared with the stored password/ }],
    },
    {
      code: `UserDAO.prototype.validateLogin = function (userName, password, callback) {\n  this.users.findOne({ userName }, (err, user) => {\n    if (user && user.password === password) return callback(null, user);\n    callback(new Error("Invalid password"));\n  });\n};`,
      errors: [{ line: 3, column: 17, message: /compared with the stored password as text/ }],
    },
    {
      code: `router.post("/users", async (req, res) => {\n  const { userName, password } = req.body;\n  const user = { userName, password, createdAt: new Date() };\n  await db.collection("users").insertOne(user);\n});`,
      errors: [{ line: 3, column: 28, message: /saved on the model as typed/ }],
    },
    {
      code: `this.validateLogin = function (userName, password, callback) {\n  function comparePassword(fromDB, fromUser) {\n    return fromDB === fromUser;\n  }\n  usersCol.findOne({ userName }, (err, user) => {\n    if (user && comparePassword(password, user.password)) callback(null, user);\n  });\n};`,
      errors: [{ line: 6, column: 17, message: /compared with the stored password as text/ }],
    },
  ],
});
