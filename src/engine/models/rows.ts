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
import type { FnRef, Model, Value } from "../taint/value";
import type { Confidence } from "../types";
import type { CallSite, ModelHost, SinkMode } from "./host";

/** One library family's knowledge: a file in models/, an entry in the registry. */
export interface LibraryModel {
  /** Equals the file name: "http-frameworks". */
  id: string;
  /** What the family covers. */
  description: string;
  /** Annotated fixture files (paths under test/fixtures/) that exercise the family's rows. */
  fixtures: readonly string[];
  /** Where attacker data enters. */
  sources?: readonly SourceRow[];
  /** Properties of a source's data that are the server's, or safe for some sinks. */
  refinements?: readonly RefinementRow[];
  /** Where attacker data does harm. */
  sinks?: readonly SinkRow[];
  /** How the receivers that method sinks name are recognised. */
  receivers?: readonly ReceiverModel[];
  /** What library functions return, and which contexts they sanitise. */
  summaries?: readonly SummaryRow[];
  /** Methods of values of any kind (strings, arrays, schemas). */
  methods?: readonly MethodRow[];
  /** What kind of object library calls give back. */
  types?: readonly TypeRow[];
  /** What reading, calling and assigning modelled objects does. */
  objects?: readonly ObjectModel[];
  /** Global names with a fixed meaning. */
  globals?: readonly GlobalRow[];
  /** Values known in advance. */
  constants?: readonly ConstantRow[];
  /** Other names of modules. */
  aliases?: readonly AliasRow[];
  /** Where attacker-called code starts. */
  entryPoints?: readonly EntryPointRow[];
  /** Parameter decorators that bind handler parameters. */
  decorators?: DecoratorModel;
  /** Library checks that make a value safe in the branch they guard. */
  guards?: readonly GuardRow[];
  /** Calls after which code does not go on. */
  exits?: readonly ExitRow[];
}

/** Kinds of modelled objects (value.ts `Model`) whose properties and methods a family describes. */
export type ObjectKind = "request" | "context" | "response" | "db" | "app" | "message-event";

/** An assignment `target.key = value` as a model sees it. */
export interface Assignment {
  /** The assignment expression. */
  node: JsNode;
  /** The member expression assigned to. */
  target: JsNode;
  obj: Value;
  key: string | null;
  keyValue: Value | null;
  value: Value;
}

/** What reading a property of, or calling a method on, an object of one modelled kind gives. */
export interface ObjectModel {
  kind: ObjectKind;
  /** What assigning a property of such an object does (Koa's `ctx.body = html`). Handles every assignment to the kind. */
  assign?: (host: ModelHost, model: Model, a: Assignment) => void;
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
  /**
   * Data the application stored or its own API sends back (browser storage, an API response):
   * attacker-controlled only if an attacker stored it so (second-order, tagged "stored-data").
   */
  stored?: true;
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
        /**
         * A global read: "document.cookie", "process.argv"; or, written "this.$name", a property
         * every component instance gets from a framework plugin (Vue Router's `this.$route`).
         */
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

/**
 * What a library function returns, in terms of its arguments (CodeQL's summaryModel, for the
 * shapes that recur):
 * - "argument": the first argument as it is (`Object.freeze(x)`, `mongoSanitize(x)`);
 * - "text": the first argument as text (`String(x)`, `path.dirname(x)`, an escaper);
 * - "quoted-text": as text inside single quotes (an SQL literal escape);
 * - "element-text": the first argument, or the elements of an argument list, as one text (shell quoting);
 * - "normalised-path": as a normalised path, on which a prefix check is meaningful;
 * - "number": a number, boolean or date — nothing the attacker can shape;
 * - "parsed": an object the attacker shapes, parsed from the first argument's text (`JSON.parse`);
 * - "serialised": the first argument as JSON text;
 * - "formatted": every argument as text, joined by spaces (`util.format`).
 */
export type ReturnFlow = "argument" | "text" | "quoted-text" | "element-text" | "normalised-path" | "number" | "parsed" | "serialised" | "formatted";

/** A library function whose result the rows cannot say: the effect computes it. */
export type SummaryEffect = (host: ModelHost, site: CallSite) => Value;

/** What a library function, or a method of a modelled object, returns. */
export type SummaryRow = (
  | {
      call: string;
    }
  | {
      /** A method of a modelled object: `db.escape(x)`. */
      object: ObjectKind;
      method: string;
    }
) &
  (
    | {
        returns: ReturnFlow;
        /** The injection classes the result is safe for: a sanitiser's contexts (`escapeHtml` → xss). */
        sanitises?: readonly TaintRuleId[];
      }
    | {
        effect: SummaryEffect;
      }
  );

/**
 * A method of values of any kind — strings, arrays, promises, validation schemas — by name. The
 * effect gives the call's result, or null when it says nothing about this receiver.
 */
export interface MethodRow {
  method: string;
  effect: (host: ModelHost, recv: Value, site: CallSite) => Value | null;
}

/** What kind of object a library call gives back. */
export type TypeRow =
  | {
      /** A factory whose result is a modelled object: `mysql.createPool()` is a SQL client ("db"), `express()` an app. */
      call: string;
      returns: "db" | "app";
    }
  | {
      /** A factory that returns the library itself, configured: `axios.create()`. */
      call: string;
      returns: "module";
    }
  | {
      /** A method of a modelled object that returns the same object (`db.select()`, `pool.getConnection()`). */
      object: ObjectKind;
      method: string;
      returns: "self";
    };

/** Names under which a module is imported, or reached, as another. */
export type AliasRow =
  | {
      /** `fs/promises` and `fs-extra` are `fs`. */
      specifier: string;
      module: string;
    }
  | {
      /** `lodash.merge`, `lodash/merge` and `lodash-es/merge` are lodash's `merge`: `<module>.x` packages and these subpath prefixes. */
      methodsOf: string;
      prefixes: readonly string[];
    }
  | {
      /** `fs.promises` is `fs` (keyed like a callee: "fs:promises"). */
      member: string;
      module: string;
    };

/** How a handler's parameter is bound when the handler is analysed as an entry point. */
export type ParamRole = { kind: "model"; model: () => Model } | { kind: "tainted"; what: string; obj: boolean } | null;

/** A function about to be analysed as an entry point, as recognisers see it. */
export interface EntryFunction {
  ref: FnRef;
  /** Its parameters, without a TypeScript `this` parameter. */
  params: JsNode[];
  /** Their names, null for a destructuring pattern. */
  names: Array<string | null>;
}

/** What a listener receives: an event object the browser makes, or attacker data described in words. */
export type ListenerPayload = { event: "message-event" } | { what: string };

/**
 * Where attacker-called code starts, and what it is given. Handlers passed to known calls or
 * registered on apps and routers get request and response objects; listeners and consumers get
 * message payloads; functions nothing in the file calls are recognised by their name or shape
 * (`export async function GET(request)`, a `"use server"` action, `eachMessage`).
 */
export type EntryPointRow =
  | {
      /** Function arguments of this call are route handlers: `http.createServer((req, res) => …)`. */
      call: string;
      handlers: "route";
    }
  | {
      /** Methods that register route handlers, on an app or on a receiver named like a router (`router.get(path, handler)`). */
      register: readonly string[];
      routerName: RegExp;
      effect: (host: ModelHost, site: CallSite) => void;
    }
  | {
      /** A method that adds an event listener: `on(event, handler)`, `addEventListener(event, handler)`. */
      listenerMethod: string;
    }
  | {
      /** A listener for this event on a kind of object: `req.on("data", …)`, `window.addEventListener("message", …)`. */
      listen: string;
      on: "request" | "global-object";
      payload: ListenerPayload;
    }
  | {
      /** Listeners for any other event on a receiver named like this (a socket): `ws.on("message", …)`. */
      listenOnName: RegExp;
      /** Events that carry no attacker data (`connection`, `close`). */
      except: readonly string[];
    }
  | {
      /** A method whose callback receives messages: amqplib `channel.consume(queue, handler)`. */
      consume: string;
      what: string;
    }
  | {
      /** A handler property of a global: `self.onmessage = handler`. */
      handlerProperty: string;
      payload: ListenerPayload;
    }
  | {
      /** Keys of an object literal whose function values are resolvers: GraphQL `{ Query: { user(parent, args) {…} } }`. */
      resolverRoots: readonly string[];
    }
  | {
      /** The parameters of a registered route handler, by their position and names. */
      routeRoles: (fn: EntryFunction) => ParamRole[];
    }
  | {
      /**
       * Recognises a function that nothing in the file calls by its name or shape and gives its
       * parameters' roles, or null when it is not one. Lower precedence is asked first.
       */
      precedence: number;
      roles: (host: ModelHost, fn: EntryFunction) => ParamRole[] | null;
    };

/**
 * A check that makes a value safe where it holds (`validator.isInt(x)`, `Number.isInteger(x)`,
 * `Object.hasOwn(obj, key)`) or where it fails (`isNaN(x)`), when used as an `if` test. Checks the
 * language itself gives (comparisons, allowlist membership, anchored patterns) are the guards'
 * own (taint/guards.ts).
 */
export interface GuardRow {
  /** The function or method name: "isInt". */
  check: string;
  /** The receiver's path must match (`Number`, `…ObjectId`); any receiver, or none, when absent. */
  receiver?: RegExp;
  /** With a receiver pattern: a call without a named receiver (`isInt(x)`) counts too. */
  orPlain?: true;
  /** The checked argument. */
  argument: number;
  /** The value is safe where the check returns this. */
  holds: boolean;
  /** What the value is safe for there. */
  sanitises: readonly TaintRuleId[] | "everything";
}

/** A call after which code does not go on (`process.exit(1)`, Koa's `ctx.throw(400)`), for guards after an exiting branch. */
export interface ExitRow {
  /** The method's name. */
  exit: string;
  /** The receiver's name, when only one receiver's method exits (`process`). */
  receiver?: string;
}

/** A value known in advance: `__dirname`, `path.sep`. Keyed like a callee: "global:__dirname", "path:sep". */
export interface ConstantRow {
  read: string;
  /** The text it holds; absent for a number, boolean or undefined. */
  text?: string;
}

/**
 * Receivers that method sinks name, each recognised by a named test in the family that knows
 * them: "sql-client" is a value `mysql.createPool()` made, or a receiver named `db`, `pool`…
 */
export type ReceiverKind = "any" | "sql-client" | "raw-sql" | "query-builder" | "mongo-collection" | "jquery" | "response" | "context" | "browser-page";

/** How a call's receiver is recognised as one of a kind. */
export interface ReceiverModel {
  receiver: ReceiverKind;
  test: (site: CallSite) => boolean;
}

/** A procedural sink: reports what reaches it through `host.sink`, for the rule's kind. */
export type SinkEffect = (host: ModelHost, site: CallSite, kind: number) => void;

/** What every sink row says: the rule it reports for and how the sink uses the value. */
interface SinkUse {
  /** The dataflow rule (injection class) that reports the sink. */
  rule: TaintRuleId;
  /** How the sink uses the value, completing "<source> flows into <sink> …": "as a shell command". */
  what: string;
  /** How to read the value there (host.ts SinkMode). */
  mode: SinkMode;
  /** Default "high". */
  confidence?: Confidence;
  /** Constant text the sink puts before the value, for the attack simulator: `whereRaw(x)` → "SELECT * FROM t WHERE ". */
  prefix?: string;
}

/**
 * Which argument reaches the sink: an index, "last-not-number" (Express `res.redirect(301, url)`),
 * or "any-after-first" (the first tainted argument after the target of a merge).
 */
export type ArgumentPick = number | "last-not-number" | "any-after-first";

/** Where a call sink is: a library callee (`child_process:exec`), or a method on a kind of receiver. */
export type CallSinkAt = { call: string } | { method: string; receiver: ReceiverKind };

/** A call that interprets one of its arguments. */
export type CallSinkRow = CallSinkAt &
  (
    | (SinkUse & {
        argument: ArgumentPick;
        /** The argument may be an options object: its `url`/`uri`/`baseURL`/`href` (or `host`) is the URL. */
        url?: true;
        /** Only object-shaped attacker data counts (a merge source, not a string). */
        object?: true;
        /** The row applies only when this holds; otherwise later rows for the method are tried. */
        when?: (host: ModelHost, site: CallSite) => boolean;
      })
    | {
        rule: TaintRuleId;
        /** A sink whose argument, meaning or message depends on the call: the effect reports it. */
        effect: SinkEffect;
        when?: (host: ModelHost, site: CallSite) => boolean;
      }
  ) & {
    /**
     * For a method sink: a matching row ends the search for this method (the default), or, with
     * true, later rows for the method are tried too (a MongoDB `where` after a SQL `where`).
     */
    passThrough?: true;
  };

/** An assignment sink: `element.innerHTML = x`, `location.href = x`. */
export type PropertySinkRow = SinkUse & {
  property: string;
  /** Only on this global object (`location`); any object otherwise. */
  global?: string;
};

/** A JSX attribute that takes markup (`dangerouslySetInnerHTML={{ __html: x }}`) or a URL (`<a href={x}>`). */
export type JsxSinkRow = SinkUse & {
  attribute: string;
  /** The property of the attribute's value that holds the markup. */
  path?: string;
  /** Only on these intrinsic elements (`a`, `iframe`); on any element otherwise. */
  elements?: readonly string[];
};

export type SinkRow = CallSinkRow | PropertySinkRow | JsxSinkRow;

/** The parameter decorators a framework binds handler parameters with (NestJS `@Body()`). */
export interface DecoratorModel {
  names: readonly string[];
  /** The parameter's value from one of its decorators, or null. */
  parameter(host: ModelHost, param: JsNode, decorator: JsNode, name: string): Value | null;
}
