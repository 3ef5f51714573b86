/** GET /problems/{code} — what each problem `type` URI in an error response means. */
import { z } from "zod";
import { ApiError, ERROR_CODES, type ErrorCode } from "../errors";
import { problemExample } from "../openapi";
import { defineRoute } from "./route";

const Params = z.object({ code: z.string().describe("An error code, e.g. not_found") });
const ProblemType = z.object({ code: z.string(), status: z.number().int(), title: z.string() }).meta({ id: "ProblemType" });

export const problems = defineRoute({
  method: "get",
  path: "/problems/{code}",
  operationId: "getProblemType",
  summary: "Describe an error code",
  tags: ["operations"],
  auth: "none",
  request: { params: Params },
  responses: {
    200: { description: "The error code's status and title", schema: ProblemType, example: { code: "rate_limited", status: 429, title: "Too many requests" } },
    404: { description: "No such error code", example: problemExample("not_found", "/problems/no_such_code", "No such error code.") },
  },
  handler(c) {
    const code = c.req.param("code") ?? "";
    if (!Object.hasOwn(ERROR_CODES, code)) throw new ApiError("not_found", "No such error code.");
    const { status, title } = ERROR_CODES[code as ErrorCode];
    return c.json(ProblemType.parse({ code, status, title }));
  },
});
