/**
 * NestJS controllers: a handler's parameters are bound by decorators (`@Body() dto`,
 * `@Query('q') q`, `@Req() req`), and validation pipes that parse numbers make a parameter safe.
 * A parameter typed with a DTO class is validated into that shape, so it is not an arbitrary
 * object the attacker shapes.
 */
import type { JsNode } from "../parse/js";
import { unwrap } from "../js/node-values";
import { F_CONTAINER, modelValue, NUMERIC, type Value } from "../taint/value";
import type { ModelHost } from "./host";
import type { LibraryModel, SourceRow } from "./rows";

const SOURCES: SourceRow[] = [
  { decorator: "Args", what: "GraphQL argument", obj: true },
  { decorator: "Body", what: "request body", obj: true },
  { decorator: "Query", what: "query string", obj: true },
  { decorator: "Param", what: "route parameter" },
  { decorator: "Headers", what: "request header" },
  { decorator: "Cookies", what: "cookie", obj: true },
  { decorator: "HostParam", what: "Host header" },
  { decorator: "UploadedFile", what: "uploaded file", obj: true },
  { decorator: "UploadedFiles", what: "uploaded file", obj: true },
];

const DECORATOR_SOURCES = new Map(SOURCES.map((r) => ["decorator" in r ? r.decorator : "", r]));

/** Pipes that turn the parameter into a number, boolean, UUID, enum member or array of them. */
const PARSE_PIPES = /^Parse(Int|Float|Bool|UUID|Enum|Array)Pipe$/;

/** A controller parameter's value from its decorator. */
function decoratedParameter(host: ModelHost, param: JsNode, decorator: JsNode, name: string): Value | null {
  if (name === "Req" || name === "Request") return modelValue({ kind: "request", style: "node" });
  if (name === "Res" || name === "Response") return modelValue({ kind: "response", htmlDefault: true, contentType: null });
  const src = DECORATOR_SOURCES.get(name);
  if (!src) return null;
  const e = unwrap(decorator.expression);
  const args: JsNode[] = e.type === "CallExpression" ? e.arguments : [];
  const piped = args.some((a) => {
    const n = unwrap(a);
    const id = n.type === "NewExpression" ? unwrap(n.callee) : n;
    return id.type === "Identifier" && PARSE_PIPES.test(id.name);
  });
  if (piped) return NUMERIC;
  const annotation = param.typeAnnotation?.typeAnnotation;
  const typed = annotation && annotation.type !== "TSAnyKeyword" && annotation.type !== "TSObjectKeyword" && annotation.type !== "TSUnknownKeyword";
  const keyed = args.length > 0 && unwrap(args[0]!).type === "Literal";
  return host.source(decorator, src.what, { obj: src.obj === true && !typed, flags: keyed ? 0 : F_CONTAINER, label: "@" + host.text(decorator.expression) });
}

export const model: LibraryModel = {
  id: "nestjs",
  description: "NestJS controllers: parameter decorators (@Body, @Query, @Param, @Req…) and parse pipes.",
  fixtures: ["apps/nestjs/src/customers/customers.controller.ts"],
  sources: SOURCES,
  decorators: { names: ["Req", "Request", "Res", "Response", ...DECORATOR_SOURCES.keys()], parameter: decoratedParameter },
};
