/**
 * Values derived from the Unity Catalog and identity settings of `vars/<env>.json`, shared by both stacks.
 */
import type { Vars } from "./schema";

/** The data-lake storage credential's name: `unityCatalog.storageCredentialName`, by default `<namePrefix>-data-lake`. */
export function storageCredentialName(vars: Vars): string {
  return vars.unityCatalog.storageCredentialName ?? `${vars.namePrefix}-data-lake`;
}

/**
 * Account groups that vars make the owner of a Unity Catalog object the automation principal creates
 * (connections and their foreign catalogs), each once, in order of first use.
 */
export function ownerGroupsOf(vars: Vars): string[] {
  const owners = vars.connections.flatMap((c) => {
    const fcOwner = (c.foreignCatalog as { owner?: unknown } | undefined)?.owner;
    return [c.owner, typeof fcOwner === "string" ? fcOwner : undefined].filter((o): o is string => o !== undefined);
  });
  return [...new Set(owners)];
}
