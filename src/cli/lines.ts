/** Line numbers of resources in their input file (for SARIF regions): one pass over the text. */

const KEY = /"(?:urn|address)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/** `wanted`: the key a resource is found by in the file (URN or Terraform address) -> the resource's URN. */
export function resourceLines(text: string, wanted: ReadonlyMap<string, string>): Map<string, number> {
    const offsets: Array<[number, string]> = [];
    const found = new Set<string>();
    KEY.lastIndex = 0;
    for (let m = KEY.exec(text); m && found.size < wanted.size; m = KEY.exec(text)) {
        let v = m[1];
        if (v.includes("\\")) {
            try {
                v = JSON.parse(`"${v}"`) as string;
            } catch {
                continue;
            }
        }
        if (!wanted.has(v) || found.has(v)) continue;
        found.add(v);
        offsets.push([m.index, wanted.get(v)!]);
    }
    offsets.sort((a, b) => a[0] - b[0]);
    const lines = new Map<string, number>();
    let line = 1;
    let pos = 0;
    for (const [off, urn] of offsets) {
        for (let i = text.indexOf("\n", pos); i !== -1 && i < off; i = text.indexOf("\n", i + 1)) {
            line++;
            pos = i + 1;
        }
        lines.set(urn, line);
    }
    return lines;
}
