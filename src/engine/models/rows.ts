/**
 * The shapes of library knowledge. A family file (models/<family>.ts) lists typed rows — where
 * attacker data enters, which objects a library gives back, what reading or calling them does —
 * and the registry (models/index.ts) indexes them once by module, access path and name, so the
 * interpreter looks a row up in a map instead of scanning. Behaviour that a row cannot say (a
 * request whose URL is relative in Node and absolute in fetch) is a named effect: a function in
 * the family's file that a row or an object model points at.
 *
 * Callees are written `module:access path`, as the interpreter identifies them:
 * "child_process:exec", "pg:Pool", "global:JSON.parse"; "escape-html:" is the module itself.
 */
import type { JsNode } from "../parse/js";
import type { TaintRuleId } from "../taint/kinds";
import type { Model, Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";

/** Kinds of modelled objects (value.ts `Model`) whose properties and methods a family describes. */
export type ObjectKind = "request" | "context" | "response" | "db" | "app" | "message-event";

/** What reading a property of, or calling a method on, an object of one modelled kind gives. */
export interface ObjectModel {
  kind: ObjectKind;
  /** The property's value; null when the model says nothing about it. `node` is the member expression, when there is one. */
  property?(host: ModelHost, obj: Value, model: Model, key: string, node: JsNode | null): Value | null;
  /** The method call's result; null when the model says nothing about it. */
  method?(host: ModelHost, recv: Value, model: Model, method: string, site: CallSite): Value | null;
}

/** How a source's value is shaped. */
export interface SourceShape {
  /** What the source is, in words, for messages: "query string". */
  what: string;
  /**
   * The value may be an object the attacker shapes (a JSON body), not only text; "node": only on
   * a Node-style request, whose query string `qs` parses into nested objects.
   */
  obj?: boolean | "node";
  /**
   * A whole collection of inputs (`req.query`): sent as JSON and usable as a query document;
   * "without-arguments": when a getter is called without a name (`c.req.query()`).
   */
  container?: boolean | "without-arguments";
  /**
   * A URL of the request: "target" is the request target, relative ("/path?x") on a Node
   * request and absolute on a fetch Request; "href" is always the absolute URL.
   */
  url?: "target" | "href";
  /** The server's own absolute URL: attacker data, but its host is the server's. */
  ownUrl?: boolean;
  /** The operator's own input (command-line arguments), not a remote attacker's. */
  local?: boolean;
  /** Injection classes the value is already safe for: a Host header cannot aim a redirect elsewhere. */
  safeFor?: readonly TaintRuleId[];
  /** How messages name the object when the code does not (`const { nextUrl } = request`): "request". */
  as?: string;
}

/** Where attacker data enters, and in what shape. */
export type SourceRow = SourceShape &
  (
    | {
        /** A property of a modelled object: `request.query`, `context.cookies`. */
        object: ObjectKind;
        property: string;
      }
    | {
        /** A getter method of a modelled object: `request.json()`, `request.get(name)`. */
        object: ObjectKind;
        method: string;
      }
    | {
        /** A global read: "document.cookie", "process.argv". */
        global: string;
      }
    | {
        /** A library call whose result is attacker data: "next/navigation:useSearchParams". */
        call: string;
        /** The data comes back as the first element of a pair (`const [params] = useSearchParams()`). */
        pair?: boolean;
      }
    | {
        /** A parameter decorator: NestJS `@Body()`. */
        decorator: string;
      }
  );

/** A property of data from one source that is not (all) the attacker's. */
export interface RefinementRow {
  /** The source's `what` ("request headers"), or "own URL" for the server's own URL whatever its source. */
  source: string;
  /** The property (or the argument of a getter such as `headers.get("host")`) it applies to. */
  property: RegExp;
  /** The property is set by the server, not the attacker (the stored path of an upload). */
  untainted?: true;
  /** Injection classes the property's value is safe for. */
  safeFor?: readonly TaintRuleId[];
}

/** A global name with a fixed meaning. */
export type GlobalRow =
  | {
        /** The name is the global object itself: `window.fetch` is `fetch`. */
        global: string;
        globalObject: true;
      }
  | {
        /** The name is a library's module object (a browser global): `$` is jquery. */
        global: string;
        module: string;
      }
  | {
        /** A global path that holds no attacker data: `process.env`, `location.origin`. */
        global: string;
        untainted: true;
      }
  | {
        /** A global path that is another global: `document.location` is `location`. */
        global: string;
        is: string;
      };

/** A value known in advance: `__dirname`, `path.sep`. Keyed like a callee: "global:__dirname", "path:sep". */
export interface ConstantRow {
  read: string;
  /** The text it holds; absent for a number, boolean or undefined. */
  text?: string;
}

/** The parameter decorators a framework binds handler parameters with (NestJS `@Body()`). */
export interface DecoratorModel {
  names: readonly string[];
  /** The parameter's value from one of its decorators, or null. */
  parameter(host: ModelHost, param: JsNode, decorator: JsNode, name: string): Value | null;
}

/** One library family's knowledge: a file in models/, an entry in the registry. */
export interface LibraryModel {
  /** Equals the file name: "http-frameworks". */
  id: string;
  /** What the family covers. */
  description: string;
  /** Annotated fixture files (paths under test/fixtures/) that exercise the family's rows. */
  fixtures: readonly string[];
  globals?: readonly GlobalRow[];
  constants?: readonly ConstantRow[];
  sources?: readonly SourceRow[];
  refinements?: readonly RefinementRow[];
  objects?: readonly ObjectModel[];
  decorators?: DecoratorModel;
}
