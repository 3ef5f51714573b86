/**
 * Facts a model reads from a file's text once: whether the file uses js-yaml 3 (whose `load`
 * runs code) or installs mongo-sanitize (which cleans request data before queries). Memoised
 * per file, so asking at every call is cheap.
 */
import type { SourceFile } from "../source";

/**
 * A test of whether a file's text mentions any of the words, remembered per file.
 *
 * @example
 *   const usesYaml3 = fileMentions("safeLoad", "DEFAULT_FULL_SCHEMA");
 *   usesYaml3(host.file);
 */
export function fileMentions(...words: string[]): (file: SourceFile) => boolean {
  const seen = new WeakMap<SourceFile, boolean>();
  return (file) => {
    let yes = seen.get(file);
    if (yes === undefined) {
      yes = words.some((w) => file.text.includes(w));
      seen.set(file, yes);
    }
    return yes;
  };
}
