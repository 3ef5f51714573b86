/**
 * Angular and AngularJS. Angular sanitizes what templates bind (`[innerHTML]`, `[href]`), so its
 * XSS sinks are the explicit ways around that: DomSanitizer's `bypassSecurityTrust*`, and
 * Renderer2 or a native element written directly. The attacker's data comes from the router
 * (an injected `ActivatedRoute`). AngularJS's are the same by older names: `$sce.trustAs*` and
 * `$compile`, fed by `$location`, `$routeParams` (ngRoute) or `$stateParams` (UI-Router), which
 * controllers receive by parameter name from the injector.
 */
import { F_LITERAL_OBJ, type Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { EntryFunction, LibraryModel, ParamRole, SinkRow, SourceRow } from "./rows";

const ROUTE = "page URL (Angular router)";
const LEGACY_ROUTE = "page URL (AngularJS)";

/** `renderer.setProperty(el, "innerHTML", html)`: the property named is a markup property. */
function setsMarkup(_host: ModelHost, site: CallSite): boolean {
  const name = site.args[1]?.str;
  return name === "innerHTML" || name === "outerHTML";
}

/** `$sce.trustAs($sce.HTML, x)` / `trustAs("html", x)`: the context is not a constant CSS one. */
function trustAsMarkup(_host: ModelHost, site: CallSite): boolean {
  const context = site.args[0];
  return !context || !(context.flags & F_LITERAL_OBJ);
}

const SINKS: SinkRow[] = [
  // DomSanitizer: values marked trusted skip sanitizing where they are bound.
  { method: "bypassSecurityTrustHtml", receiver: "any", argument: 0, rule: "xss", what: "past Angular's sanitizer", mode: "text" },
  // Script, not markup: no HTML proof applies.
  { method: "bypassSecurityTrustScript", receiver: "any", argument: 0, rule: "xss", what: "as script past Angular's sanitizer", mode: "any" },
  // A URL the page follows or loads (a link, a frame): the attacker must write its scheme.
  ...["bypassSecurityTrustUrl", "bypassSecurityTrustResourceUrl"].map((method): SinkRow => ({
    method,
    receiver: "any",
    argument: 0,
    rule: "xss",
    what: "past Angular's URL sanitizer (a javascript: URL runs script in the page)",
    mode: "script-url",
  })),
  // Style cannot run script in current browsers, but attacker CSS can read and restyle the page (no proof: not HTML).
  { method: "bypassSecurityTrustStyle", receiver: "any", argument: 0, rule: "xss", what: "past Angular's style sanitizer", mode: "any", confidence: "medium" },
  { method: "setProperty", receiver: "any", when: setsMarkup, argument: 2, rule: "xss", what: "as HTML (Renderer2.setProperty)", mode: "text" },
  // AngularJS strict contextual escaping: trusted values are bound as they are.
  { call: "angular:$sce.trustAsHtml", argument: 0, rule: "xss", what: "past AngularJS's strict contextual escaping", mode: "text" },
  { call: "angular:$sce.trustAsJs", argument: 0, rule: "xss", what: "as script past AngularJS's strict contextual escaping", mode: "any" },
  ...["angular:$sce.trustAsUrl", "angular:$sce.trustAsResourceUrl"].map((call): SinkRow => ({
    call,
    argument: 0,
    rule: "xss",
    what: "past AngularJS's URL sanitizer (a javascript: URL runs script in the page)",
    mode: "script-url",
  })),
  { call: "angular:$sce.trustAs", when: trustAsMarkup, argument: 1, rule: "xss", what: "past AngularJS's strict contextual escaping", mode: "text" },
  // $compile(markup) links the markup as a template: expressions in it run.
  { call: "angular:$compile", argument: 0, rule: "xss", what: "as an AngularJS template (its expressions run)", mode: "text" },
];

/** AngularJS services a controller, directive or config function asks the injector for by parameter name. */
const INJECTED: ReadonlyMap<string, ParamRole> = new Map<string, ParamRole>([
  ["$location", { kind: "model", model: () => ({ kind: "module", module: "angular", path: ["$location"] }) }],
  ["$routeParams", { kind: "tainted", what: LEGACY_ROUTE, obj: true }],
  ["$stateParams", { kind: "tainted", what: LEGACY_ROUTE, obj: true }],
  ["$sce", { kind: "model", model: () => ({ kind: "module", module: "angular", path: ["$sce"] }) }],
  ["$compile", { kind: "model", model: () => ({ kind: "module", module: "angular", path: ["$compile"] }) }],
]);

/** A function whose parameters are AngularJS injectables (`function ($scope, $routeParams, $sce)`): their roles. */
function angularJsInjection(_host: ModelHost, fn: EntryFunction): ParamRole[] | null {
  if (!fn.names.some((n) => n !== null && INJECTED.has(n))) return null;
  return fn.names.map((n) => (n === null ? null : (INJECTED.get(n) ?? null)));
}

/** `observable.subscribe(value => …)`: an observable of attacker data (`route.queryParams`) gives its callback that data. */
function subscribe(host: ModelHost, recv: Value, site: CallSite): Value | null {
  const next = site.args[0]?.fn;
  if (!recv.taint || !next) return null;
  host.callInline(next, [recv], recv, "call");
  return recv;
}

export const model: LibraryModel = {
  id: "angular",
  description:
    "Angular's router sources and sanitizer bypasses (DomSanitizer, Renderer2); AngularJS's $location/$routeParams/$stateParams, $sce.trustAs* and $compile.",
  fixtures: ["xss/angular/order-status.component.ts", "xss/angular/promo-banner.component.ts", "xss/angularjs/receipt-controller.js", "xss/dom-templates.ts"],
  // An injected ActivatedRoute (or a guard's or resolver's snapshot) holds the page URL's parts.
  sources: [
    { call: "@angular/router:ActivatedRoute", what: ROUTE, container: true },
    { call: "@angular/router:ActivatedRouteSnapshot", what: ROUTE, container: true },
    // $location's getters; its host(), protocol() and port() are the page's own.
    { call: "angular:$location.search", what: LEGACY_ROUTE, container: true },
    ...["hash", "path", "url", "absUrl"].map((getter): SourceRow => ({ call: `angular:$location.${getter}`, what: LEGACY_ROUTE })),
  ],
  // Route data, titles and configuration are the application's own.
  refinements: [{ source: ROUTE, property: /^(data|title|routeConfig|component|outlet|parent|root|firstChild|children|pathFromRoot)$/, untainted: true }],
  sinks: SINKS,
  methods: [{ method: "subscribe", effect: subscribe }],
  entryPoints: [{ precedence: 60, roles: angularJsInjection }],
};
