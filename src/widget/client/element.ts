/**
 * `<pci-auditor-scan>`: the embeddable scan widget, a custom element with an open shadow root and
 * no framework. A visitor pastes code (or drops or chooses files; the language comes from the
 * file name), presses Scan, and reads the findings with their proofs. The host page sets
 * `publishable-key` (a pca_pub_ key bound to its origin), optionally `api-base` (default: where
 * this script came from), `dialect` (SQL dialect) and `theme` (light | dark | auto), restyles it
 * through --pci-auditor-* properties and ::part(), and listens for `pci-auditor:scan-complete`
 * and `pci-auditor:error` (both bubble out of the shadow root). Built for strict CSPs: no inline
 * script or style, no eval, a constructable stylesheet; and for keyboard and screen-reader use:
 * labelled controls, Ctrl/⌘+Enter to scan, a live region announcing the outcome, and focus moved
 * to the results (or the error) when they arrive.
 */
import { SQL_DIALECTS } from "../../engine/types";
import { languageOf } from "../../engine/languages";
import { ApiClient, WidgetError, type Scan, type ScanFile } from "./api-client";
import { h } from "./dom";
import { renderResults, resultSentence } from "./render-results";
import { WIDGET_CSS } from "./styles";

export const TAG = "pci-auditor-scan";

const LANGUAGE_NAMES = { javascript: "JavaScript", typescript: "TypeScript", sql: "SQL", text: "plain text (card data and secrets only)" } as const;
/** Proofs kept out of line fetched at most, so one scan cannot fan out into many requests. */
const MAX_PROOF_FETCHES = 10;

let sheet: CSSStyleSheet | undefined;

export class PciAuditorScan extends HTMLElement {
  readonly #code: HTMLTextAreaElement;
  readonly #fileName: HTMLInputElement;
  readonly #language: HTMLElement;
  readonly #fileInput: HTMLInputElement;
  readonly #fileList: HTMLElement;
  readonly #button: HTMLButtonElement;
  readonly #clear: HTMLButtonElement;
  readonly #status: HTMLElement;
  readonly #results: HTMLElement;
  #chosen: ScanFile[] = [];
  #busy = false;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    sheet ??= new CSSStyleSheet();
    if (sheet.cssRules.length === 0) sheet.replaceSync(WIDGET_CSS);
    root.adoptedStyleSheets = [sheet];

    this.#code = h("textarea", { id: "code", part: "code", spellcheck: "false", autocomplete: "off", "aria-describedby": "code-hint" });
    this.#fileName = h("input", { type: "text", id: "file-name", part: "file-name", value: "snippet.js", autocomplete: "off", "aria-describedby": "language" });
    this.#language = h("p", { id: "language", class: "hint" });
    this.#fileInput = h("input", { type: "file", id: "files", multiple: true, part: "file-input" });
    this.#fileList = h("ul", { class: "files", "aria-label": "Chosen files" });
    this.#button = h("button", { type: "submit", part: "scan-button" }, "Scan");
    this.#status = h("div", { class: "status", part: "status", role: "status", "aria-live": "polite" });
    this.#results = h("div", { part: "results" });
    this.#clear = h("button", { type: "button", part: "clear-button" }, "Clear files");

    const drop = h(
      "div",
      { class: "drop" },
      h("label", { for: "code" }, "Code to scan"),
      this.#code,
      h("p", { id: "code-hint", class: "hint" }, "Paste code here, or drop files on it. Ctrl+Enter (⌘+Enter) scans."),
    );
    const form = h(
      "form",
      { part: "form", "aria-label": "PCI DSS code scan", novalidate: true },
      drop,
      h(
        "div",
        { class: "row" },
        h("div", {}, h("label", { for: "file-name" }, "File name"), this.#fileName, this.#language),
        h("div", {}, h("label", { for: "files" }, "Or choose files"), this.#fileInput),
      ),
      this.#fileList,
      h("div", { class: "row" }, this.#button, this.#clear),
    );
    root.append(h("div", { class: "root", part: "container" }, form, this.#status, this.#results));

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.scan();
    });
    this.#code.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void this.scan();
      }
    });
    this.#fileName.addEventListener("input", () => this.#showLanguage());
    this.#fileInput.addEventListener("change", () => void this.#addFiles(this.#fileInput.files));
    this.#clear.addEventListener("click", () => {
      this.#chosen = [];
      this.#fileInput.value = "";
      this.#showFiles();
      this.#fileInput.focus();
    });
    drop.addEventListener("dragover", (e) => {
      e.preventDefault();
      drop.setAttribute("data-over", "");
    });
    drop.addEventListener("dragleave", () => drop.removeAttribute("data-over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.removeAttribute("data-over");
      void this.#addFiles(e.dataTransfer?.files ?? null);
    });
    this.#showLanguage();
    this.#showFiles();
  }

  /** Scans what the visitor entered; resolves when results or an error are shown. */
  async scan(): Promise<void> {
    if (this.#busy) return;
    const files = [...this.#chosen];
    if (this.#code.value.trim() !== "") files.push({ path: this.#fileName.value.trim() || "snippet.js", content: this.#code.value });
    const key = this.getAttribute("publishable-key");
    const dialect = this.getAttribute("dialect");
    if (!key) return this.#fail(new WidgetError("This widget has no publishable-key attribute.", null, "configuration"));
    if (dialect && !(SQL_DIALECTS as readonly string[]).includes(dialect))
      return this.#fail(new WidgetError(`Unknown SQL dialect "${dialect}".`, null, "configuration"));
    if (files.length === 0) {
      this.#status.textContent = "Paste code or choose files to scan first.";
      this.#code.focus();
      return;
    }
    this.#busy = true;
    this.#button.disabled = true;
    this.#button.textContent = "Scanning…";
    this.#status.textContent = "Scanning…";
    this.#results.replaceChildren();
    try {
      const client = new ApiClient(this.getAttribute("api-base") ?? new URL(import.meta.url).origin, key);
      const scan = await client.scan(files, dialect);
      await this.#fetchLargeProofs(client, scan);
      this.#results.replaceChildren(renderResults(scan, "results-heading"));
      this.#status.textContent = resultSentence(scan);
      this.#results.querySelector<HTMLElement>("#results-heading")?.focus();
      this.dispatchEvent(
        new CustomEvent("pci-auditor:scan-complete", {
          bubbles: true,
          composed: true,
          detail: { scanId: scan.id, findings: scan.findings?.length ?? 0, summary: scan.summary },
        }),
      );
    } catch (error) {
      this.#fail(error instanceof WidgetError ? error : new WidgetError("Something went wrong while scanning.", null, "unexpected"));
    } finally {
      this.#busy = false;
      this.#button.disabled = false;
      this.#button.textContent = "Scan";
    }
  }

  async #fetchLargeProofs(client: ApiClient, scan: Scan): Promise<void> {
    const pending = (scan.findings ?? []).filter((f) => !f.proof && f.proofRef).slice(0, MAX_PROOF_FETCHES);
    await Promise.all(pending.map(async (f) => (f.proof = await client.proof(f.proofRef!))));
  }

  #fail(error: WidgetError): void {
    const box = h(
      "p",
      { class: "error", part: "error", tabindex: "-1" },
      error.message,
      error.requestId ? h("span", { class: "meta" }, ` (request ${error.requestId})`) : null,
    );
    this.#results.replaceChildren(box);
    // The live region says that it failed; the focused message says why (read once, not twice).
    this.#status.textContent = "Scan failed.";
    box.focus();
    this.dispatchEvent(
      new CustomEvent("pci-auditor:error", {
        bubbles: true,
        composed: true,
        detail: { message: error.message, status: error.status, code: error.code, requestId: error.requestId },
      }),
    );
  }

  async #addFiles(list: FileList | null): Promise<void> {
    for (const file of Array.from(list ?? [])) {
      const content = await file.text();
      this.#chosen = [...this.#chosen.filter((f) => f.path !== file.name), { path: file.name, content }];
    }
    this.#showFiles();
  }

  #showLanguage(): void {
    this.#language.textContent = `Language: ${LANGUAGE_NAMES[languageOf(this.#fileName.value.trim() || "snippet.js").language]} (from the file name)`;
  }

  #showFiles(): void {
    this.#fileList.replaceChildren(
      ...this.#chosen.map((f) => h("li", {}, `${f.path} — ${LANGUAGE_NAMES[languageOf(f.path).language]}, ${f.content.length} characters`)),
    );
    this.#fileList.hidden = this.#chosen.length === 0;
    this.#clear.hidden = this.#chosen.length === 0;
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, PciAuditorScan);

declare global {
  interface HTMLElementTagNameMap {
    [TAG]: PciAuditorScan;
  }
}
