/**
 * PUT /v1/github/installations/{installationId} — administration: links a GitHub App installation
 * to the project its pushes and pull requests are scanned into, with the severity that fails the
 * check run. Only the administrator may: an installation id is a small guessable number, so
 * letting a project key claim one would hand it another account's code. Linking before the
 * installation event arrives is fine; the event then fills in the account and repositories.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { database } from "../db/client";
import { projects } from "../db/schema";
import { ApiError } from "../errors";
import { problemExample } from "../openapi";
import { FAIL_ON } from "../github/check-run";
import { linkInstallation } from "../github/installations";
import { defineRoute } from "./route";

const Params = z.object({
  installationId: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/)
    .describe("GitHub's installation id (in the installation event, or the App's installation settings URL)"),
});

const Body = z
  .strictObject({
    projectId: z.string().regex(/^prj_[0-9a-f]{32}$/),
    failOn: z.enum(FAIL_ON).default("high").describe("Lowest severity that makes the check run fail; none: it never fails (as the CLI's --fail-on)"),
  })
  .meta({ id: "GithubInstallationLink" });

const Installation = z
  .object({
    installationId: z.number().int(),
    account: z.string().nullable().describe("The user or organization the App is installed on, once the installation event arrived"),
    projectId: z.string(),
    failOn: z.enum(FAIL_ON),
    repositories: z.array(z.string()).describe("Repositories the installation covers, as its events listed them"),
    updatedAt: z.string(),
  })
  .meta({ id: "GithubInstallation" });

export const githubInstallationsLink = defineRoute({
  method: "put",
  path: "/v1/github/installations/{installationId}",
  operationId: "linkGithubInstallation",
  summary: "Link a GitHub App installation to a project",
  tags: ["github", "administration"],
  auth: "admin",
  request: { params: Params, body: Body, bodyExample: { projectId: "prj_8e1d4c7b2a9f4e3d8c1b0a9f8e7d6c5b", failOn: "high" } },
  responses: {
    200: {
      description: "Linked: its pushes and pull requests are scanned into the project from now on",
      schema: Installation,
      example: {
        installationId: 4242,
        account: "acme",
        projectId: "prj_8e1d4c7b2a9f4e3d8c1b0a9f8e7d6c5b",
        failOn: "high",
        repositories: ["acme/payments"],
        updatedAt: "2026-12-03T09:30:00.000Z",
      },
    },
    404: {
      description: "No such project (or a malformed installation id)",
      example: problemExample("not_found", "/v1/github/installations/4242", "No such project."),
    },
  },
  async handler(c, { body }) {
    const params = Params.safeParse({ installationId: c.req.param("installationId") });
    if (!params.success) throw new ApiError("not_found", "No such installation id: GitHub's are whole numbers.");
    const db = database(c.env.DB);
    const project = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, body.projectId)).get();
    if (!project) throw new ApiError("not_found", "No such project.");
    const row = await linkInstallation(db, Number(params.data.installationId), body.projectId, body.failOn);
    return c.json(
      Installation.parse({
        installationId: row.id,
        account: row.account,
        projectId: body.projectId,
        failOn: row.failOn,
        repositories: row.repositories,
        updatedAt: new Date(row.updatedAt).toISOString(),
      }),
      200,
    );
  },
});
