/**
 * Terraform configurations read without a plan (`.tf`, `.tf.json`, `.tofu`). Loaded only when a
 * scan meets one (command.ts imports this module on demand); the pack never loads it.
 */
export { loadHclParser, parseHcl, parseHclJson } from "./parser";
export { readHclModule, type HclOptions } from "./reader";
export { parseSuppression } from "./suppress";
export type { VarArg } from "./vars";
