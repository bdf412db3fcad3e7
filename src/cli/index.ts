/**
 * `portguard scan` as a library (no argument parser, no side effects): format readers, the
 * rename layer, the scan itself and the renderers. main.ts is the command line.
 */
export { detectFormat, requireFormat } from "./formats/detect";
export { readPulumiExport, readPulumiPreview } from "./formats/pulumi";
export { readTerraformPlan, readTerraformState, terraformUrn } from "./formats/terraform";
export { TERRAFORM_TYPES, toPulumiProps, terraformPath, camelCase, snakeCase, type TfMapping } from "./formats/tfnames";
export { FORMATS, InputError, UNKNOWN_SENTINEL, type FormatName, type ScanInput, type ScanResource } from "./formats/types";
export { parsePolicyPackConfig, resolvePolicySettings, reportedLevel, ConfigError, type PolicySetting } from "./config";
export { expandPaths, loadCandidate, parseJson, readDocument, readText } from "./load";
export { scanInput, type ScanFinding, type StackResult, type ScanOptions } from "./scan";
export { runScan, OUTPUTS, UsageError, type Io, type ScanCommandOptions, type OutputName } from "./command";
export type { VarArg } from "./formats/hcl/vars";
export { renderText } from "./output/text";
export { renderJson, renderJsonChunks, JSON_SCHEMA_VERSION } from "./output/json";
export { renderSarif } from "./output/sarif";
export { renderJunit } from "./output/junit";
export type { Report } from "./output/report";
