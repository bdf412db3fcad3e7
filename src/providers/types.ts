/** The adapters' contract: resource props in, one of the model's items out (src/model/items.ts). */
import type { Modeled, ResourceInput } from "../model/items";

export type { FirewallItem, Modeled, PrefixListEntryItem, PrefixListItem, ResourceInput, RulesItem } from "../model/items";

export type Adapter = (input: ResourceInput) => Modeled;
