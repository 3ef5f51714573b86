/** Vite's `?raw` imports, which the worker tests use to read repository files (workerd has no file system). */
declare module "*?raw" {
  const text: string;
  export default text;
}

/** Vite's `import.meta.glob`, in the one form the worker tests use: every matching file's text. */
interface ImportMeta {
  glob<T = string>(pattern: string, options: { query: "?raw"; import: "default"; eager: true }): Record<string, T>;
}
