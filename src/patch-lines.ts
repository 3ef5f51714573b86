/**
 * A fix's unified diff split into lines a page can mark one by one — the file headers, the hunk
 * headers, the added and the removed lines, and the context around them — so the widget in the
 * browser and the dashboard on the server show a patch the same way. The text stays as the diff
 * has it, `+` and `-` included, so a line says what it is without its colour. No imports: it is
 * bundled into the widget as it is.
 */

export type PatchLineKind = "file" | "hunk" | "add" | "del" | "context";

export interface PatchLine {
  kind: PatchLineKind;
  text: string;
}

/**
 * Lines of a unified diff by what they are. A hunk header (`@@ -1,2 +1,3 @@`) says how many old
 * and new lines follow, so a `--- a/…` inside a hunk is a removed `-- comment`, not a file
 * header, and one after it starts the next file.
 *
 * @example patchLines("--- a/x.js\n+++ b/x.js\n@@ -1 +1 @@\n-a\n+b\n")
 *   // [file "--- a/x.js", file "+++ b/x.js", hunk "@@ -1 +1 @@", del "-a", add "+b"]
 */
export function patchLines(diff: string): PatchLine[] {
  const lines = diff.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let oldLeft = 0;
  let newLeft = 0;
  return lines.map((text): PatchLine => {
    // "\ No newline at end of file" belongs to the line before it and counts as no line.
    if (text.startsWith("\\")) return { kind: "context", text };
    if (oldLeft > 0 || newLeft > 0) {
      if (text.startsWith("+")) {
        newLeft--;
        return { kind: "add", text };
      }
      if (text.startsWith("-")) {
        oldLeft--;
        return { kind: "del", text };
      }
      oldLeft--;
      newLeft--;
      return { kind: "context", text };
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(text);
    if (!hunk) return { kind: "file", text };
    oldLeft = Number(hunk[1] ?? 1);
    newLeft = Number(hunk[2] ?? 1);
    return { kind: "hunk", text };
  });
}
