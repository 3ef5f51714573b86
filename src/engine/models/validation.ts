/**
 * Validation: schema libraries (zod, Joi, yup, superstruct, valibot…) and validator.js. A
 * schema that accepts a number, boolean, UUID or enum makes a value safe; one that accepts a
 * string does not — a valid string can still break SQL. validator.js converts, escapes and
 * checks single strings.
 */
import { unwrap } from "../js/node-values";
import { REDOS } from "../taint/kinds";
import { F_REGEX, NUMERIC, objectValue, Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { GuardRow, LibraryModel, MethodRow, SinkRow, SummaryRow } from "./rows";
import { constantPattern, reportBacktracking } from "./sink-report";

/** Schema methods that return the parsed value (or throw). */
const PARSE_METHODS = ["parse", "parseAsync", "validateSync", "validateAsync", "cast", "assert", "create", "decode"];
/** Schema methods that return a result object holding the value (`{ success, data }`, `{ value, error }`). */
const SAFE_PARSE_METHODS = ["safeParse", "safeParseAsync", "validate", "spa"];
const RETURNS_VALUE = new Set(PARSE_METHODS);
/** Schema builders whose values are not text an attacker can shape. */
const NUMERIC_SCHEMA = /\b(number|int|integer|bigint|boolean|bool|uuid|enum|nativeEnum|literal|date|isInt|isNumber)\s*\(/;

// ---------------------------------------------------------------- patterns in schemas (ReDoS)

/**
 * A schema that checks a pattern — zod `.regex(re)`, Joi `.pattern(re)`/`.regex(re)`, yup
 * `.matches(re)` — is a value holding the pattern (`regex` without F_REGEX: a schema, not a
 * RegExp); modifiers that keep the schema keep it, and `object({ key: schema })` keeps the keys.
 * Parsing attacker data with it matches the data against the pattern.
 */
function schemaPattern(_host: ModelHost, _recv: Value, site: CallSite): Value | null {
  const literal = site.args[0]?.regex;
  if (!literal || !(site.args[0]!.flags & F_REGEX)) return null;
  const s = new Value();
  s.regex = literal;
  return s;
}

const isSchemaPattern = (v: Value | undefined): boolean => !!v?.regex && !(v.flags & F_REGEX);

/** Schema modifiers that return the schema they are called on. */
const SCHEMA_MODIFIERS = [
  "min",
  "max",
  "required",
  "optional",
  "nullable",
  "nullish",
  "nonempty",
  "label",
  "messages",
  "message",
  "allow",
  "default",
  "describe",
  "email",
  "alphanum",
  "lowercase",
  "uppercase",
  "strict",
  "ip",
  "uri",
];

function keepsSchema(_host: ModelHost, recv: Value): Value | null {
  return isSchemaPattern(recv) ? recv : null;
}

/** `z.object({ email: z.string().regex(re) })`, `Joi.object({ … })`: the shape, when a field checks a pattern. */
function objectSchema(_host: ModelHost, _recv: Value, site: CallSite): Value | null {
  const shape = site.args[0];
  return shape?.props && [...shape.props.values()].some(isSchemaPattern) ? shape : null;
}

/** Reports each pattern of a schema (a field's, or the schema's own) that the parsed input reaches. */
function patternsParsed(host: ModelHost, site: CallSite, schema: Value, input: Value): void {
  const fields: Array<[Value, Value]> = isSchemaPattern(schema) ? [[schema, input]] : [];
  if (schema.props) for (const [key, field] of schema.props) if (isSchemaPattern(field)) fields.push([field, input.props?.get(key) ?? host.anyProp(input)]);
  for (const [field, value] of fields) {
    const literal = field.regex!.regex;
    if (literal) reportBacktracking(host, site, REDOS, { pattern: literal.pattern, flags: literal.flags }, value);
  }
}

/** `schema.parse(req.body)`: still attacker data, unless the schema (as written) only admits numbers, booleans, UUIDs or enums. */
function validated(host: ModelHost, _recv: Value, site: CallSite): Value | null {
  const input = site.args[0];
  if (!input?.taint || site.recv?.taint) return null;
  if (site.recv) patternsParsed(host, site, site.recv, input);
  if (NUMERIC_SCHEMA.test(host.text(unwrap(site.callee).object))) return NUMERIC;
  if (RETURNS_VALUE.has(site.method!)) return input;
  const out = objectValue(
    new Map([
      ["data", input],
      ["value", input],
      ["output", input],
    ]),
  );
  out.elem = input;
  return out;
}

const SUMMARIES: SummaryRow[] = [
  ...["toInt", "toFloat", "toBoolean", "toDate"].map((f): SummaryRow => ({ call: `validator:${f}`, returns: "number" })),
  ...["trim", "blacklist", "stripLow", "normalizeEmail"].map((f): SummaryRow => ({ call: `validator:${f}`, returns: "text" })),
  { call: "validator:escape", returns: "text", sanitises: ["xss"] },
];

/** validator.js checks after which a string has a fixed, harmless shape. */
const SHAPE_CHECKS = [
  "isInt",
  "isNumeric",
  "isUUID",
  "isAlphanumeric",
  "isAlpha",
  "isMongoId",
  "isHexadecimal",
  "isBoolean",
  "isFloat",
  "isDecimal",
  "isIn",
  "isPort",
  "isISO8601",
  "isDate",
  "isHash",
  "isMD5",
  "isJWT",
  "isIP",
  "isSlug",
];

const GUARDS: GuardRow[] = [
  ...SHAPE_CHECKS.map((check): GuardRow => ({ check, receiver: /validator|v$/i, orPlain: true, argument: 0, holds: true, sanitises: "everything" })),
  // A valid e-mail address is a string, not an operator object; it can still hold quotes.
  { check: "isEmail", argument: 0, holds: true, sanitises: ["nosql-injection"] },
];

/** `validator.matches(str, pattern, modifiers)`: attacker text against a constant pattern (a regex, or a string compiled with the modifiers). */
function validatorMatches(host: ModelHost, site: CallSite, kind: number): void {
  const regex = constantPattern(site.args[1], true);
  const modifiers = site.args[2]?.str;
  if (regex) reportBacktracking(host, site, kind, modifiers ? { pattern: regex.pattern, flags: modifiers } : regex, site.args[0]);
}

const SINKS: SinkRow[] = [{ call: "validator:matches", rule: "redos", effect: validatorMatches }];

export const model: LibraryModel = {
  id: "validation",
  description: "Schema validation (zod, Joi, yup, superstruct, valibot) and validator.js conversions, escaping and checks.",
  fixtures: ["xss/status-pages.js", "redos/signup-validation.js", "redos/schema-validation.ts"],
  globals: [{ global: "validator", module: "validator" }],
  summaries: SUMMARIES,
  guards: GUARDS,
  sinks: SINKS,
  methods: [
    ...[...PARSE_METHODS, ...SAFE_PARSE_METHODS].map((method): MethodRow => ({ method, effect: validated })),
    ...["regex", "pattern", "matches"].map((method): MethodRow => ({ method, effect: schemaPattern })),
    ...SCHEMA_MODIFIERS.map((method): MethodRow => ({ method, effect: keepsSchema })),
    { method: "object", effect: objectSchema },
  ],
};
