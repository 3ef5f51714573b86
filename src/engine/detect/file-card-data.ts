/**
 * One card-data scan per file, shared by the card-data rules (card numbers, track data,
 * CVV/PIN next to card data): the text is searched once however many of them are on, and the
 * scan's limits are reported once per file, by whichever of them asks first.
 */
import type { RuleContext } from "../rule";
import type { SourceFile } from "../source";
import { findCardData, type CardScan } from "./pan";

interface Entry {
  limitsKey: string;
  scan: CardScan;
  notified: boolean;
}

const scans = new WeakMap<SourceFile, Entry>();

const LOG_PATH = /\.log(?:\.\d+)?$|(?:^|\/)logs?\//i;

/** A log file, by name (`app.log`, `app.log.1`) or folder (`logs/`): card data there has already leaked. */
export function isLogPath(path: string): boolean {
  return LOG_PATH.test(path);
}

/**
 * The card numbers and track data of the rule's file, within `ctx.limits`
 * (maxDetectorCandidates, maxLineLength). Notifies "line-too-long" and "detector-budget".
 */
export function cardDataOf(ctx: RuleContext): CardScan {
  const { maxDetectorCandidates, maxLineLength } = ctx.limits;
  const limitsKey = `${maxDetectorCandidates}/${maxLineLength}`;
  let entry = scans.get(ctx.file);
  if (!entry || entry.limitsKey !== limitsKey) {
    entry = { limitsKey, scan: findCardData(ctx.file.text, { maxCandidates: maxDetectorCandidates, maxLineLength }), notified: false };
    scans.set(ctx.file, entry);
  }
  if (!entry.notified) {
    entry.notified = true;
    const { skippedLines, budgetExhausted } = entry.scan;
    if (skippedLines.length > 0) {
      const which = skippedLines.length === 1 ? `Line ${skippedLines[0]} is` : `${skippedLines.length} lines (the first is line ${skippedLines[0]}) are`;
      ctx.notify("line-too-long", `${which} longer than ${maxLineLength} characters, so not searched for card numbers or track data.`, skippedLines[0]);
    }
    if (budgetExhausted) {
      ctx.notify(
        "detector-budget",
        `The card-number search stopped after ${maxDetectorCandidates} candidates; the rest of the file was not searched for card data.`,
      );
    }
  }
  return entry.scan;
}
