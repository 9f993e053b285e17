/**
 * Unity Catalog foundation and account-level identities, asserted on the synthesized JSON: the metastore is
 * attached on purpose (existing, created, or automatic and checked), identities are account groups assigned
 * after the metastore, the storage credential and its role come in dependency order, and the management stack
 * creates locations, the catalog and grants only for account-level principals.
 */
import { byPath, dataList, readVars, ref, resourceList, resources, synthEnvs, tempVarsDir, type TfJson } from "./helpers";

const stacks = synthEnvs();

/** The stacks of a dev variant whose unityCatalog.metastore is `metastore`. */
function devWithMetastore(metastore: Record<string, unknown>): Record<string, TfJson> {
  const dev = readVars("dev");
  return synthEnvs(["dev"], {}, tempVarsDir({ "dev.json": { ...dev, unityCatalog: { ...dev.unityCatalog, metastore } } }));
}

const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-provisioning-(dev|prod)\.outputs\.([^}]+)\}$/;
/** The provisioning expression a management reference stands for. */
function fromProvisioning(prov: TfJson, reference: unknown): string {
  const m = REMOTE_OUTPUT.exec(String(reference));
  if (!m) throw new Error(`not a provisioning output reference: ${String(reference)}`);
  return String(prov.output![m[2]].value);
}

describe.each(["dev", "prod"])("provisioning-%s: metastore and identities", (env) => {
  const prov = stacks[`provisioning-${env}`];
  const vars = readVars(env);
  const workspaceId = ref(prov, "databricks_mws_workspaces", "workspace/workspace", "workspace_id");
  const assignmentAddress = () => `databricks_metastore_assignment.${Object.keys(resources(prov, "databricks_metastore_assignment"))[0]}`;

  test("one metastore assignment for the workspace, through the account provider", () => {
    const assignments = resourceList(prov, "databricks_metastore_assignment");
    expect(assignments).toHaveLength(1);
    expect(assignments[0]).toMatchObject({ provider: "databricks.account", workspace_id: workspaceId });
    const metastore = vars.unityCatalog.metastore;
    if (metastore.source === "existing") {
      expect(assignments[0].metastore_id).toBe(metastore.metastoreId);
      expect(resourceList(prov, "databricks_metastore")).toEqual([]);
    } else {
      expect(metastore.source).toBe("create");
      expect(byPath(prov, "databricks_metastore", "metastore/metastore")).toMatchObject({ name: metastore.name, region: vars.region, provider: "databricks.account" });
      expect(assignments[0].metastore_id).toBe(ref(prov, "databricks_metastore", "metastore/metastore", "metastore_id"));
    }
  });

  test("every group is an account group, assigned to the workspace after the metastore assignment", () => {
    for (const group of vars.identities.groups) {
      const created = resourceList(prov, "databricks_group").find((g) => g.display_name === group.name);
      const lookedUp = dataList(prov, "databricks_group").find((g) => g.display_name === group.name);
      expect(group.existing ? lookedUp : created).toMatchObject({ provider: "databricks.account" });
      expect(group.existing ? created : lookedUp).toBeUndefined();
    }
    // The consumers' assignments are asserted in consumers.test.ts.
    const assignments = resourceList(prov, "databricks_mws_permission_assignment").filter((a) => !JSON.stringify(a["//"]).includes(`provisioning-${env}/consumers/`));
    expect(assignments).toHaveLength(vars.identities.groups.length + 1);
    for (const a of assignments) {
      expect(a).toMatchObject({ provider: "databricks.account", workspace_id: workspaceId, depends_on: [assignmentAddress()] });
    }
    const permissions = assignments.map((a) => (a.permissions as string[])[0]).sort();
    const expected = [...vars.identities.groups.map((g: any) => g.workspacePermission ?? "USER"), "ADMIN"].sort();
    expect(permissions).toEqual(expected);
  });

  test("the automation principal joins the groups that vars make owners, and only those", () => {
    const owners = new Set<string>(vars.connections.map((c: any) => c.owner).filter(Boolean));
    const members = resourceList(prov, "databricks_group_member");
    expect(members).toHaveLength(owners.size);
    for (const m of members) expect(m.member_id).toBe(ref(prov, "databricks_service_principal", "credentials/automation"));
  });

  test("storage credential: account level, against the role's predictable ARN, owned by the automation principal", () => {
    const roleName = `${vars.namePrefix}-uc-data-lake`;
    const credential = byPath(prov, "databricks_storage_credential", "storage-credential/credential");
    expect(credential).toMatchObject({
      provider: "databricks.account",
      name: vars.unityCatalog.storageCredentialName ?? `${vars.namePrefix}-data-lake`,
      aws_iam_role: { role_arn: `arn:aws:iam::${vars.aws.accountId}:role/${roleName}` },
      owner: ref(prov, "databricks_service_principal", "credentials/automation", "application_id"),
      metastore_id: vars.unityCatalog.metastore.source === "existing" ? vars.unityCatalog.metastore.metastoreId : ref(prov, "databricks_metastore", "metastore/metastore", "metastore_id"),
    });
  });

  test("the role trusts the Unity Catalog master role with the credential's own external id, plus itself", () => {
    const roleName = `${vars.namePrefix}-uc-data-lake`;
    const trust = dataList(prov, "databricks_aws_unity_catalog_assume_role_policy");
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      aws_account_id: vars.aws.accountId,
      role_name: roleName,
      external_id: ref(prov, "databricks_storage_credential", "storage-credential/credential", "aws_iam_role[0].external_id"),
    });
    const role = byPath(prov, "aws_iam_role", "storage-credential/role");
    expect(role.name).toBe(roleName);
    expect(String(role.assume_role_policy)).toMatch(/^\$\{data\.databricks_aws_unity_catalog_assume_role_policy\.[^.]+\.json\}$/);
  });

  test("one permission policy per data-lake bucket, with the data-lake key; the wait follows every policy", () => {
    const policies = dataList(prov, "databricks_aws_unity_catalog_policy");
    expect(policies.map((p) => p.bucket_name).sort()).toEqual([...vars.storage.dataLakeBucketNames].sort());
    for (const p of policies) expect(p.kms_name).toBe(ref(prov, "aws_kms_key", "keys/data-lake", "arn"));
    const rolePolicies = Object.entries(resources(prov, "aws_iam_role_policy")).filter(([, r]) => String(r.name).startsWith(`${vars.namePrefix}-uc-data-lake-`));
    expect(rolePolicies).toHaveLength(vars.storage.dataLakeBucketNames.length);
    const wait = byPath(prov, "time_sleep", "storage-credential/iam-propagation");
    expect((wait.depends_on as string[]).sort()).toEqual(rolePolicies.map(([name]) => `aws_iam_role_policy.${name}`).sort());
  });

  test("the instance profile reaches the data lake only when legacy access is switched on", () => {
    expect(vars.workspaceSettings.legacyInstanceProfileDataAccess).toBe(false);
    const access = dataList(prov, "aws_iam_policy_document").find((d) => (d.statement as any[]).some((s) => s.sid === "ClusterLogsWrite"))!;
    expect((access.statement as any[]).map((s) => s.sid)).not.toContain("DataLakeObjects");
  });
});

describe.each(["dev", "prod"])("management-%s: Unity Catalog objects", (env) => {
  const mgmt = stacks[`management-${env}`];
  const prov = stacks[`provisioning-${env}`];
  const vars = readVars(env);
  const groupNames = new Set(vars.identities.groups.map((g: any) => g.name));

  test("the automation principal gets exactly the metastore privileges the stack needs, from a metastore admin", () => {
    // Consumers' databricks_grant resources (consumers.test.ts) are on catalogs, schemas and tables, never the metastore.
    const grants = resourceList(mgmt, "databricks_grant").filter((g) => g.metastore !== undefined);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ provider: "databricks.metastore-admin", privileges: ["CREATE_CATALOG", "CREATE_CONNECTION", "CREATE_EXTERNAL_LOCATION"] });
    expect(fromProvisioning(prov, grants[0].principal)).toMatch(/^\$\{databricks_service_principal\.[^.]+\.application_id\}$/);
    if (vars.unityCatalog.metastore.source === "existing") expect(grants[0].metastore).toBe(vars.unityCatalog.metastore.metastoreId);
    else expect(fromProvisioning(prov, grants[0].metastore)).toBe(ref(prov, "databricks_metastore", "metastore/metastore", "metastore_id"));
  });

  test("one external location per data-lake bucket, SSE-KMS with the data-lake key's full ARN, after the metastore grant", () => {
    const locations = resourceList(mgmt, "databricks_external_location");
    expect(locations.map((l) => l.url).sort()).toEqual(vars.storage.dataLakeBucketNames.map((b: string) => `s3://${b}/`).sort());
    for (const l of locations) {
      expect(l).toMatchObject({ provider: "databricks", credential_name: vars.unityCatalog.storageCredentialName ?? `${vars.namePrefix}-data-lake` });
      expect((l.encryption_details as any).sse_encryption_details.algorithm).toBe("AWS_SSE_KMS");
      expect(fromProvisioning(prov, (l.encryption_details as any).sse_encryption_details.aws_kms_key_arn)).toBe(ref(prov, "aws_kms_key", "keys/data-lake", "arn"));
      expect(l.depends_on).toEqual([expect.stringMatching(/^databricks_grant\.unity-catalog_automation-metastore-privileges_/)]);
    }
  });

  test("the catalog's schemas and volumes exist before anything is granted on them", () => {
    const c = vars.unityCatalog.catalog;
    const schemas = resourceList(mgmt, "databricks_schema");
    expect(schemas.map((sc) => sc.name).sort()).toEqual(c.schemas.map((sc: any) => sc.name).sort());
    for (const sc of schemas) expect(sc.catalog_name).toBe(ref(mgmt, "databricks_catalog", "unity-catalog/catalog", "name"));
    const volumes = resourceList(mgmt, "databricks_volume");
    expect(volumes.map((v) => `${v.name}`).sort()).toEqual(c.schemas.flatMap((sc: any) => sc.volumes ?? []).sort());
    for (const v of volumes) expect(v.volume_type).toBe("MANAGED");
    const schemaGrants = resourceList(mgmt, "databricks_grant").filter((g) => g.schema !== undefined);
    expect(schemaGrants.length).toBeGreaterThan(0);
    for (const g of schemaGrants) expect(g.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^databricks_schema\./)]));
  });

  test("the catalog's managed storage is under its data-lake location", () => {
    const c = vars.unityCatalog.catalog;
    const catalog = byPath(mgmt, "databricks_catalog", "unity-catalog/catalog");
    expect(catalog).toMatchObject({ name: c.name, storage_root: `s3://${c.managedLocationBucketName}/${c.name}/` });
    expect(catalog.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^databricks_external_location\.unity-catalog_location-/)]));
  });

  test("every owner and grant principal in the stack is an account group of the configuration (or the automation principal)", () => {
    const principals: string[] = [];
    // Consumers' service principals (application ids from provisioning) are asserted in consumers.test.ts.
    const isConsumer = (p: string) => REMOTE_OUTPUT.test(p) && /^\$\{databricks_service_principal\.consumers_consumer-[^.]+\.application_id\}$/.test(fromProvisioning(prov, p));
    for (const g of resourceList(mgmt, "databricks_grants")) for (const b of g.grant as any[]) if (!isConsumer(b.principal)) principals.push(b.principal);
    for (const type of ["databricks_connection", "databricks_catalog", "databricks_external_location"]) {
      for (const r of resourceList(mgmt, type)) if (r.owner !== undefined) principals.push(String(r.owner));
    }
    expect(principals.length).toBeGreaterThan(5);
    for (const p of principals) expect(groupNames.has(p)).toBe(true);
  });
});

describe("metastore sources", () => {
  test("existing with adoptExistingAssignment: an import block adopts the assignment automatic enablement made", () => {
    const dev = readVars("dev");
    const prov = devWithMetastore({ ...dev.unityCatalog.metastore, adoptExistingAssignment: true })["provisioning-dev"];
    const address = `databricks_metastore_assignment.${Object.keys(resources(prov, "databricks_metastore_assignment"))[0]}`;
    const imports = (prov as any).import as { to: string; id: string }[];
    const workspaceId = ref(prov, "databricks_mws_workspaces", "workspace/workspace", "workspace_id").replace(/^\$\{|\}$/g, "");
    expect(imports).toEqual([{ to: address, id: `\${join("|", [${workspaceId}, "${dev.unityCatalog.metastore.metastoreId}"])}`, provider: "databricks.account" }]);
  });

  test("the import block declares the Terraform version it needs (an expression as import id: >= 1.6)", () => {
    const dev = readVars("dev");
    const prov = devWithMetastore({ ...dev.unityCatalog.metastore, adoptExistingAssignment: true })["provisioning-dev"];
    expect((prov.terraform as any).required_version).toBe(">= 1.6");
    expect((stacks["provisioning-dev"].terraform as any).required_version).toBeUndefined();
  });

  test("create with adoptExistingAssignment: the created metastore's assignment is imported", () => {
    const prov = devWithMetastore({ source: "create", name: "acme-us-east-1", adoptExistingAssignment: true })["provisioning-dev"];
    const imports = (prov as any).import as { to: string; id: string }[];
    expect(imports).toHaveLength(1);
    expect(imports[0].id).toMatch(/^\$\{join\("\|", \[databricks_mws_workspaces\.[^,]+\.workspace_id, databricks_metastore\.metastore_[^.]+\.metastore_id\]\)\}$/);
  });

  test("existing without it: no import block", () => {
    expect((stacks["provisioning-dev"] as any).import).toBeUndefined();
  });

  test("automatic: no assignment; the region's metastore is looked up and management checks the workspace is attached to it", () => {
    const out = devWithMetastore({ source: "automatic" });
    const prov = out["provisioning-dev"];
    const mgmt = out["management-dev"];
    expect(resourceList(prov, "databricks_metastore_assignment")).toEqual([]);
    const lookup = dataList(prov, "databricks_metastore");
    expect(lookup).toEqual([expect.objectContaining({ region: "us-east-1", provider: "databricks.account" })]);
    const check = dataList(mgmt, "databricks_current_metastore");
    expect(check).toHaveLength(1);
    const post = (check[0].lifecycle as any).postcondition[0];
    expect(post.error_message).toMatch(/not assigned to its region's Unity Catalog metastore/);
    const expectedId = /^\$\{self\.id == (data\.terraform_remote_state\.[^}]+)\}$/.exec(post.condition)![1];
    expect(fromProvisioning(prov, `\${${expectedId}}`)).toMatch(/^\$\{data\.databricks_metastore\.[^.]+\.metastore_id\}$/);
    // Identity assignments cannot wait for an assignment that Terraform does not make.
    for (const a of resourceList(prov, "databricks_mws_permission_assignment")) expect(a.depends_on).toBeUndefined();
  });
});
