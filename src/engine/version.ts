/** Engine version: part of dedupe keys and of SARIF's tool.driver, so bump it when results can change. */
export const ENGINE_VERSION = "0.1.0";
