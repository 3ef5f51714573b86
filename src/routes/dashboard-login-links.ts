/**
 * POST /v1/dashboard/login-links — administration: a one-time link that signs a browser into the
 * dashboard as the operator (every project). `npm start` prints one beside the development key.
 * The link works once, for ten minutes; only the SHA-256 of its token is stored.
 */
import { z } from "zod";
import { mintLoginToken } from "../dashboard/sessions";
import { database } from "../db/client";
import { defineRoute } from "./route";

const LoginLink = z
  .object({
    url: z.string().describe("Open it in a browser: it signs in once, then stops working"),
    expiresAt: z.string(),
  })
  .meta({ id: "LoginLink" });

export const dashboardLoginLinks = defineRoute({
  method: "post",
  path: "/v1/dashboard/login-links",
  operationId: "createDashboardLoginLink",
  summary: "Create a one-time dashboard login link",
  tags: ["administration"],
  auth: "admin",
  responses: {
    201: {
      description: "The link, valid once for ten minutes",
      schema: LoginLink,
      example: {
        url: "https://pci-auditor.example.com/dashboard/login/link?token=3q2-7wHX0vJc9mYpQeXl4uB8kN1sD6aF5gZrTtUoWi0",
        expiresAt: "2026-12-03T09:40:00.000Z",
      },
    },
  },
  async handler(c) {
    const { token, expiresAt } = await mintLoginToken(database(c.env.DB));
    const url = new URL("/dashboard/login/link", c.req.url);
    url.searchParams.set("token", token);
    return c.json({ url: url.href, expiresAt: new Date(expiresAt).toISOString() }, 201);
  },
});
