/**
 * Which projects a dashboard session may see: its own (a Clerk organization's), or every one (an
 * operator), and their scans. Another project's id, or another project's scan, answers exactly
 * like a missing one (404).
 */
import { desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { Db } from "../db/client";
import { getScan, type ScanRow } from "../db/scan-queries";
import { ScanParams } from "../routes/scan-lookup";
import { projects } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

export type ProjectRow = typeof projects.$inferSelect;

/** The projects the session may see, newest first. */
export async function visibleProjects(c: Context<AppEnv>, db: Db): Promise<ProjectRow[]> {
  const { projectId } = c.get("session");
  const query = db.select().from(projects);
  return (projectId ? query.where(eq(projects.id, projectId)) : query).orderBy(desc(projects.createdAt)).all();
}

/** The page's project (path parameter `projectId`), or 404 when the session may not see it. */
export async function pageProject(c: Context<AppEnv>, db: Db): Promise<ProjectRow> {
  const id = c.req.param("projectId") ?? "";
  const { projectId } = c.get("session");
  const row = projectId === null || projectId === id ? await db.select().from(projects).where(eq(projects.id, id)).get() : undefined;
  if (!row) throw new ApiError("not_found", "No such project.");
  return row;
}

/** The page's scan (path parameter `scanId`) of the page's project, or 404. */
export async function pageScan(c: Context<AppEnv>, db: Db, project: ProjectRow): Promise<ScanRow> {
  const id = c.req.param("scanId") ?? "";
  const row = ScanParams.shape.id.safeParse(id).success ? await getScan(db, project.id, id) : undefined;
  if (!row) throw new ApiError("not_found", "No such scan.");
  return row;
}
