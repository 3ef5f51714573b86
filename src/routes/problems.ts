/** GET /problems/{code} — what each problem `type` URI in an error response means. */
import { z } from "zod";
import { ApiError, ERROR_CODES, type ErrorCode } from "../errors";
import type { RouteDef } from "./route";

const Params = z.object({ code: z.string() });
const ProblemType = z.object({ code: z.string(), status: z.number().int(), title: z.string() });

export const problems: RouteDef = {
  method: "get",
  path: "/problems/{code}",
  operationId: "getProblemType",
  summary: "Describe an error code",
  tags: ["operations"],
  auth: "none",
  request: { params: Params },
  responses: { 200: { description: "The error code's status and title", schema: ProblemType }, 404: { description: "No such error code" } },
  register(app) {
    app.get("/problems/:code", (c) => {
      const code = c.req.param("code");
      if (!Object.hasOwn(ERROR_CODES, code)) throw new ApiError("not_found", "No such error code.");
      const { status, title } = ERROR_CODES[code as ErrorCode];
      return c.json(ProblemType.parse({ code, status, title }));
    });
  },
};
