/** Which file names are Terraform/OpenTofu configuration (kept apart so load.ts stays light). */

export const CONFIG_FILE = /\.(tf|tofu)(\.json)?$/;

export function isConfigFile(name: string): boolean {
    return CONFIG_FILE.test(name);
}
