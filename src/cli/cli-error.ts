/**
 * The one error the command reports as exit status 2: a usage mistake (unknown option, bad
 * value, missing path) or an input it cannot use (unreadable file, unwritable output). Its
 * message names the argument or file and says what is wrong; main() prints it to stderr.
 */
export class CliError extends Error {
  override readonly name = "CliError";

  /** @param usage whether to point the user at `--help` after the message */
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

/** "ENOENT: no such file or directory, stat '/x'" → "no such file or directory" (the path is named by the caller). */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    default:
      return e?.message ?? String(error);
  }
}
