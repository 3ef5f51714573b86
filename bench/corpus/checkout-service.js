// Checkout service of a small storefront: Express + MySQL + a payment gateway.
// Realistic code with the usual mistakes, used by bench/api.mjs as a ~10 KB scan payload.
"use strict";

const express = require("express");
const mysql = require("mysql2");
const crypto = require("crypto");
const https = require("https");
const fs = require("fs");
const path = require("path");
const { exec } = require("child_process");

const app = express();
app.use(express.json({ limit: "1mb" }));

const pool = mysql.createPool({
  host: process.env.DB_HOST || "localhost",
  user: "checkout",
  password: "Summer2024!checkout",
  database: "shop",
  connectionLimit: 10,
});

const GATEWAY_URL = "http://payments.internal-gateway.com/v1/charge";
const RECEIPTS_DIR = path.join(__dirname, "receipts");

function log(message, data) {
  console.log(new Date().toISOString(), message, JSON.stringify(data));
}

function orderToken() {
  return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}

function hashCard(cardNumber) {
  return crypto.createHash("sha1").update(cardNumber).digest("hex");
}

app.get("/orders/:id", (req, res) => {
  const sql = "SELECT id, status, total, created_at FROM orders WHERE id = " + req.params.id;
  pool.query(sql, (err, rows) => {
    if (err) return res.status(500).json({ error: "database error" });
    if (!rows.length) return res.status(404).json({ error: "not found" });
    res.json(rows[0]);
  });
});

app.get("/orders", (req, res) => {
  const status = req.query.status || "open";
  const sort = req.query.sort || "created_at";
  pool.query(
    `SELECT id, status, total FROM orders WHERE status = '${status}' ORDER BY ${sort} LIMIT 50`,
    (err, rows) => {
      if (err) return res.status(500).json({ error: "database error" });
      res.json(rows);
    },
  );
});

app.get("/customers/:id", (req, res) => {
  pool.execute("SELECT id, name, email FROM customers WHERE id = ?", [req.params.id], (err, rows) => {
    if (err) return res.status(500).json({ error: "database error" });
    res.json(rows[0] || null);
  });
});

app.post("/checkout", async (req, res) => {
  const { cardNumber, cvv, expiry, amount, currency, customerId } = req.body;
  log("checkout attempt", { customerId, cardNumber, cvv, amount });

  const total = Number(amount);
  if (!Number.isFinite(total) || total <= 0) {
    return res.status(400).json({ error: "invalid amount" });
  }

  const token = orderToken();
  const fingerprint = hashCard(cardNumber);

  pool.query(
    "INSERT INTO payments (token, customer_id, card_number, cvv, expiry, amount, currency, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [token, customerId, cardNumber, cvv, expiry, total, currency, fingerprint],
    (err) => {
      if (err) return res.status(500).json({ error: "could not store payment" });
    },
  );

  const body = JSON.stringify({ card: cardNumber, cvv, expiry, amount: total, currency });
  const request = https.request(
    GATEWAY_URL,
    { method: "POST", headers: { "content-type": "application/json" }, rejectUnauthorized: false },
    (gw) => {
      let data = "";
      gw.on("data", (chunk) => (data += chunk));
      gw.on("end", () => {
        res.json({ token, status: "submitted", card: cardNumber, gateway: data });
      });
    },
  );
  request.on("error", () => res.status(502).json({ error: "gateway unavailable" }));
  request.end(body);
});

app.get("/receipts/:name", (req, res) => {
  const file = path.join(RECEIPTS_DIR, req.params.name);
  fs.readFile(file, "utf8", (err, text) => {
    if (err) return res.status(404).send("no such receipt");
    res.type("text/plain").send(text);
  });
});

app.get("/receipts-safe/:name", (req, res) => {
  const name = path.basename(req.params.name);
  const file = path.join(RECEIPTS_DIR, name);
  if (!file.startsWith(RECEIPTS_DIR)) return res.status(400).send("bad name");
  fs.readFile(file, "utf8", (err, text) => {
    if (err) return res.status(404).send("no such receipt");
    res.type("text/plain").send(text);
  });
});

app.post("/admin/reindex", (req, res) => {
  const table = req.body.table;
  exec(`mysqlcheck --optimize shop ${table}`, (err, stdout) => {
    if (err) return res.status(500).send("reindex failed");
    res.send(stdout);
  });
});

app.get("/search", (req, res) => {
  const q = req.query.q || "";
  res.send(`<html><body><h1>Results for ${q}</h1><div id="results"></div></body></html>`);
});

app.get("/redirect", (req, res) => {
  res.redirect(req.query.next || "/");
});

app.post("/webhooks/gateway", (req, res) => {
  const signature = req.get("x-gateway-signature");
  const expected = crypto.createHmac("sha256", process.env.GATEWAY_WEBHOOK_SECRET).update(JSON.stringify(req.body)).digest("hex");
  if (signature !== expected) return res.status(401).send("bad signature");
  const { orderId, status } = req.body;
  pool.execute("UPDATE orders SET status = ? WHERE id = ?", [status, orderId], (err) => {
    if (err) return res.status(500).send("update failed");
    res.status(204).end();
  });
});

app.get("/reports/daily", (req, res) => {
  const day = req.query.day;
  const query = "SELECT count(*) AS orders, sum(total) AS revenue FROM orders WHERE DATE(created_at) = '" + day + "'";
  pool.query(query, (err, rows) => {
    if (err) return res.status(500).json({ error: "database error" });
    res.json(rows[0]);
  });
});

app.get("/health", (req, res) => {
  pool.query("SELECT 1", (err) => res.status(err ? 503 : 200).send(err ? "db down" : "ok"));
});

const TEST_CARDS = ["4242424242424242", "5555555555554444"];
const SUPPORT_FALLBACK_CARD = "4539 1488 0343 6467";

function isTestCard(number) {
  return TEST_CARDS.includes(number.replace(/\s+/g, ""));
}

function maskCard(number) {
  const digits = String(number).replace(/\D/g, "");
  return digits.slice(0, 6) + "******" + digits.slice(-4);
}

app.get("/support/card", (req, res) => {
  res.json({ fallback: maskCard(SUPPORT_FALLBACK_CARD), test: isTestCard(req.query.n || "") });
});

// Refunds and subscriptions.
const REFUND_LIMIT = 500;

function validRefund(order, amount) {
  return order && order.status === "paid" && amount > 0 && amount <= Math.min(order.total, REFUND_LIMIT);
}

app.post("/refunds", (req, res) => {
  const orderId = parseInt(req.body.orderId, 10);
  const amount = Number(req.body.amount);
  pool.execute("SELECT id, status, total FROM orders WHERE id = ?", [orderId], (err, rows) => {
    if (err) return res.status(500).json({ error: "database error" });
    const order = rows[0];
    if (!validRefund(order, amount)) return res.status(400).json({ error: "refund not allowed" });
    pool.execute("INSERT INTO refunds (order_id, amount) VALUES (?, ?)", [orderId, amount], (err2) => {
      if (err2) return res.status(500).json({ error: "could not record refund" });
      log("refund recorded", { orderId, amount });
      res.status(201).json({ orderId, amount });
    });
  });
});

app.get("/subscriptions", (req, res) => {
  const customer = req.query.customer;
  const plan = req.query.plan;
  let sql = "SELECT id, plan, renews_at FROM subscriptions WHERE customer_id = " + pool.escape(customer);
  if (plan) sql += " AND plan = " + pool.escape(plan);
  pool.query(sql, (err, rows) => {
    if (err) return res.status(500).json({ error: "database error" });
    res.json(rows);
  });
});

app.post("/subscriptions/:id/cancel", (req, res) => {
  const reason = String(req.body.reason || "").slice(0, 200);
  pool.execute("UPDATE subscriptions SET cancelled_at = NOW(), cancel_reason = ? WHERE id = ?", [reason, req.params.id], (err, result) => {
    if (err) return res.status(500).json({ error: "database error" });
    if (result.affectedRows === 0) return res.status(404).json({ error: "not found" });
    res.status(204).end();
  });
});

app.get("/subscriptions/export", (req, res) => {
  const format = req.query.format === "csv" ? "csv" : "json";
  pool.query("SELECT id, customer_id, plan, renews_at FROM subscriptions ORDER BY id", (err, rows) => {
    if (err) return res.status(500).json({ error: "database error" });
    if (format === "json") return res.json(rows);
    const lines = rows.map((r) => [r.id, r.customer_id, r.plan, r.renews_at.toISOString()].join(","));
    res.type("text/csv").send(["id,customer_id,plan,renews_at", ...lines].join("\n"));
  });
});

function sessionId() {
  return crypto.randomBytes(24).toString("base64url");
}

app.post("/sessions", (req, res) => {
  const id = sessionId();
  res.cookie("sid", id, { httpOnly: true, secure: true, sameSite: "lax" });
  res.status(201).json({ ok: true });
});

app.get("/currency/:code", (req, res) => {
  const allowed = new Set(["EUR", "USD", "GBP"]);
  const code = String(req.params.code).toUpperCase();
  if (!allowed.has(code)) return res.status(400).json({ error: "unsupported currency" });
  pool.query("SELECT rate FROM fx_rates WHERE code = '" + code + "'", (err, rows) => {
    if (err) return res.status(500).json({ error: "database error" });
    res.json({ code, rate: rows[0] ? rows[0].rate : null });
  });
});

app.listen(process.env.PORT || 3000, () => log("checkout service listening", { port: process.env.PORT || 3000 }));
