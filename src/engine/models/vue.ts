/**
 * Vue: the Composition API's state (`ref`, `computed`), Vue Router's `useRoute()` (the page's URL),
 * and render functions, whose `innerHTML` prop (Vue 3 `h('div', { innerHTML })`, Vue 2
 * `domProps: { innerHTML }`) writes markup the way `v-html` does; so do `v-html` and a link's
 * `:href` in a .vue file's template, which Vue binds unsanitized. `{{ }}` and `v-text` escape.
 */
import { objectValue, UNKNOWN, type Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { EntryFunction, LibraryModel, ParamRole, SinkRow, SourceRow } from "./rows";
import { TEMPLATE_SINKS } from "../parse/component-script";
import { reportCallSink, templateBindingSink } from "./sink-report";

const ROUTE = "page URL (Vue Router)";

/** `ref(x)`, `shallowRef(x)`: an object whose `.value` is x. */
function reference(_host: ModelHost, site: CallSite): Value {
  return objectValue(new Map([["value", site.args[0] ?? UNKNOWN]]));
}

/** `computed(() => …)`: a ref whose `.value` is what the getter returns. */
function computedRef(host: ModelHost, site: CallSite): Value {
  const getter = site.args[0];
  const getFn = getter?.fn ?? getter?.props?.get("get")?.fn;
  return objectValue(new Map([["value", getFn ? host.callInline(getFn, [], UNKNOWN, "call") : UNKNOWN]]));
}

/** `h(tag, { innerHTML })` (Vue 3) or `h(tag, { domProps: { innerHTML } })` (Vue 2): markup set on the element. */
function renderProps(host: ModelHost, site: CallSite, kind: number): void {
  const props = site.args[1]?.props;
  if (!props) return;
  for (const holder of [props, props.get("domProps")?.props]) {
    for (const name of ["innerHTML", "outerHTML"]) {
      const html = holder?.get(name);
      if (html?.taint) reportCallSink(host, site, kind, html, `as HTML (the ${name} prop of a render function)`, "text");
    }
  }
}

const SINKS: SinkRow[] = [
  ...["vue:h", "vue:createVNode", "vue:createElementVNode", "vue-h:"].map((call): SinkRow => ({ call, rule: "xss", effect: renderProps })),
  // Template bindings of a .vue file, as parse/component-script.ts writes them: Vue binds these unsanitized.
  { call: `global:${TEMPLATE_SINKS.vueHtml}`, rule: "xss", effect: templateBindingSink("v-html", "as HTML", "text", true) },
  {
    call: `global:${TEMPLATE_SINKS.vueUrl}`,
    rule: "xss",
    effect: templateBindingSink(":href", "as a link or frame URL (a javascript: URL runs script in the page)", "script-url", true),
  },
];

/** Vue 2's `render(h)` / `render(createElement)`: the parameter is Vue's `h`. */
function renderFunction(_host: ModelHost, fn: EntryFunction): ParamRole[] | null {
  if (fn.ref.name !== "render" || (fn.names[0] !== "h" && fn.names[0] !== "createElement")) return null;
  return [{ kind: "model", model: () => ({ kind: "module", module: "vue", path: ["h"] }) }];
}

export const model: LibraryModel = {
  id: "vue",
  description: "Vue's Composition API state (ref, computed), Vue Router's useRoute(), and render functions' innerHTML/domProps markup.",
  fixtures: ["xss/vue/order-notes.js", "xss/vue/PromoBanner.vue", "xss/vue/OrderNote.vue", "xss/vue/ReceiptNote.vue"],
  sources: [
    { call: "vue-router:useRoute", what: ROUTE, container: true },
    // The Options API's `this.$route`, and `$route` in a template's expressions.
    { global: "this.$route", what: ROUTE, container: true },
    ...["query", "params", "hash", "path", "fullPath"].map((part): SourceRow => ({ global: `$route.${part}`, what: ROUTE })),
  ],
  // The matched route's meta and name are the application's own route table.
  refinements: [{ source: ROUTE, property: /^(meta|name|matched)$/, untainted: true }],
  summaries: [...["vue:ref", "vue:shallowRef"].map((call) => ({ call, effect: reference })), { call: "vue:computed", effect: computedRef }],
  // Vue's JSX (and Solid's) sets an `innerHTML` prop as the DOM property.
  sinks: [...SINKS, { attribute: "innerHTML", rule: "xss", what: "as HTML (the innerHTML prop)", mode: "text" }],
  entryPoints: [{ precedence: 70, roles: renderFunction }],
};
