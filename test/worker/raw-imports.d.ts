/** Vite's `?raw` imports, which the worker tests use to read repository files (workerd has no file system). */
declare module "*?raw" {
  const text: string;
  export default text;
}
