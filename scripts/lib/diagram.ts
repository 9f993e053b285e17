/**
 * Architecture diagram of one synthesized stack (`cdk.tf.json`), as Graphviz DOT.
 *
 * - One box per top-level construct of the stack (the first segment of each resource's
 *   `//.metadata.path` below the stack), one row per resource type in it (`s3_bucket ×4`; data sources
 *   in italics), coloured by provider.
 * - Boxes are grouped in clusters by category: the directory under `constructs/` that defines the
 *   construct's class (network, storage, iam, workspace, ...), given by the caller as {@link BoxInfo}.
 * - Arrows between rows: `A → B` when a resource of row A refers to one of row B, solid for a
 *   `${type.name.attr}` interpolation, dashed for `depends_on` and `lifecycle` (replace_triggered_by).
 *   References inside one box are not drawn (they would only tie a box to itself).
 * - Also drawn when referenced: provider configurations, input variables, and the outputs of another
 *   stack read through `terraform_remote_state` (labelled with the resource they come from when that
 *   stack's JSON is given).
 *
 * Everything is sorted, so the same JSON always gives the same DOT (and Graphviz the same SVG).
 */

/** The parts of a `cdk.tf.json` document the diagram reads. */
export interface TfDocument {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, Record<string, unknown>>;
}

/** What the caller knows about one top-level construct of the stack (from the construct tree). */
export interface BoxInfo {
  /** Box title, e.g. `network`; constructs sharing a title share a box. */
  readonly title: string;
  /** Class name shown under the title, e.g. `WorkspaceNetwork`. */
  readonly className: string;
  /** Category cluster, e.g. `network` (the directory under `constructs/`), or `stack` for the stack's own resources. */
  readonly category: string;
}

export interface DiagramInput {
  /** Stack name, e.g. `provisioning-dev` (first segment of every `//.metadata.path`). */
  readonly stackName: string;
  readonly doc: TfDocument;
  /** Keyed by the first path segment below the stack (a construct id, or a resource id for resources made by the stack itself). */
  readonly boxes: Readonly<Record<string, BoxInfo>>;
  /** Titles of the category clusters; a category without one is shown by its name. @default CATEGORY_TITLES */
  readonly categoryTitles?: Readonly<Record<string, string>>;
  /** Synthesized JSON of other stacks, keyed by stack name, to label their outputs read through `terraform_remote_state`. @default {} */
  readonly otherStacks?: Readonly<Record<string, TfDocument>>;
  /** Graphviz rank direction: `LR` (left to right: what refers on the left, what is referred to on the right) or `TB`. @default "LR" */
  readonly rankdir?: "TB" | "LR";
}

/** Cluster titles of the categories (directories under `constructs/`, plus `stack`). */
export const CATEGORY_TITLES: Readonly<Record<string, string>> = {
  network: "network (constructs/network)",
  storage: "storage: KMS keys and S3 buckets (constructs/storage)",
  iam: "IAM (constructs/iam)",
  workspace: "Databricks account: workspace and log delivery (constructs/workspace)",
  credentials: "automation credentials (constructs/credentials)",
  "workspace-config": "workspace configuration (constructs/workspace-config)",
  connections: "Unity Catalog connections (constructs/connections)",
  stack: "made by the stack itself",
  inputs: "inputs: variables, provider settings, other stacks",
};

/** Fill colour of a row per provider (AWS, Databricks, time). */
const PROVIDER_COLOURS: Readonly<Record<string, string>> = { aws: "#fde7c8", databricks: "#f9d3cf", time: "#e4e4e4" };
const OTHER_COLOUR = "#ffffff";

type EdgeStyle = "reference" | "order";

interface Box {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly category: string;
  readonly rows: Map<string, { -readonly [K in keyof DiagramRow]: DiagramRow[K] }>;
}

/** A reference from one row to another, in the model the DOT is written from. */
export interface DiagramEdge {
  readonly from: { readonly box: string; readonly row: string };
  readonly to: { readonly box: string; readonly row: string };
  readonly style: EdgeStyle;
}

/** One box of the diagram: a construct (or the variables, providers, another stack's outputs). */
export interface DiagramBox {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly category: string;
  /** Sorted by key. */
  readonly rows: readonly DiagramRow[];
}

/** One row of a box: a resource or data source type (with how many), a variable, a provider or a remote output. */
export interface DiagramRow {
  /** `resource:<type>`, `data:<type>`, `var:<name>`, `provider:<type>[ (alias a)]`, `out:<output>`. */
  readonly key: string;
  readonly label: string;
  readonly italic: boolean;
  readonly colour: string;
  readonly count: number;
}

/** The boxes and edges of a diagram before layout, sorted. */
export interface DiagramModel {
  readonly boxes: readonly DiagramBox[];
  readonly edges: readonly DiagramEdge[];
}

const PROVIDER_PREFIXES = ["aws", "databricks", "time"];

function providerOf(type: string): string {
  return type.split("_")[0];
}

/** `aws_s3_bucket_policy` → `s3_bucket_policy`; types of other providers keep their name. */
function shortType(type: string): string {
  const p = providerOf(type);
  return PROVIDER_PREFIXES.includes(p) ? type.slice(p.length + 1) : type;
}

/** Every address a value refers to: `${...}` interpolations (reference) and plain addresses under depends_on / lifecycle (order). */
function referencesIn(value: unknown, style: EdgeStyle, out: { text: string; style: EdgeStyle }[]): void {
  if (typeof value === "string") {
    if (style === "order" || value.includes("${")) out.push({ text: value, style });
  } else if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, style, out);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "//") continue;
      referencesIn(v, k === "depends_on" || k === "lifecycle" ? "order" : style, out);
    }
  }
}

// type.name, data.type.name, var.name; an optional .outputs.<name> for remote state. Not preceded by a
// character that would make it the tail of a longer token.
const ADDRESS = /(?<![\w.-])(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\.outputs\.([A-Za-z0-9_-]+))?/g;

/** Builds the boxes and edges (no layout). */
export function diagramModel(input: DiagramInput): DiagramModel {
  const { doc } = input;
  const boxes = new Map<string, Box>();
  const rowOf = new Map<string, { box: string; row: string }>(); // address -> row

  const boxFor = (id: string, title: string, subtitle: string, category: string): Box => {
    let b = boxes.get(id);
    if (!b) boxes.set(id, (b = { id, title, subtitle, category, rows: new Map() }));
    return b;
  };
  const addRow = (box: Box, key: string, label: string, italic: boolean, colour: string): string => {
    const row = box.rows.get(key);
    if (row) row.count++;
    else box.rows.set(key, { key, label, italic, colour, count: 1 });
    return key;
  };

  // Resources and data sources: box by construct, row by kind and type.
  const blocks: [string, "resource" | "data", Record<string, Record<string, Record<string, unknown>>> | undefined][] = [
    ["", "resource", doc.resource],
    ["data.", "data", doc.data],
  ];
  for (const [prefix, kind, byType] of blocks) {
    for (const [type, byName] of Object.entries(byType ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        const address = `${prefix}${type}.${name}`;
        if (kind === "data" && type === "terraform_remote_state") continue; // drawn as the other stack's outputs
        const p = ((body["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? "").split("/");
        const segment = p[0] === input.stackName && p.length > 1 ? p[1] : "";
        const info = input.boxes[segment] ?? { title: input.stackName, className: "", category: "stack" };
        const box = boxFor(`c_${info.title}`, info.title, info.className, info.category);
        const rowKey = addRow(box, `${kind}:${type}`, kind === "data" ? `data.${shortType(type)}` : shortType(type), kind === "data", PROVIDER_COLOURS[providerOf(type)] ?? OTHER_COLOUR);
        rowOf.set(address, { box: box.id, row: rowKey });
      }
    }
  }

  // Input variables.
  for (const name of Object.keys(doc.variable ?? {}).sort()) {
    const box = boxFor("i_variables", "variables", "input variables (TF_VAR_<name>)", "inputs");
    rowOf.set(`var.${name}`, { box: box.id, row: addRow(box, `var:${name}`, `var.${name}`, false, OTHER_COLOUR) });
  }

  // Outputs of other stacks, read through terraform_remote_state: one box per remote stack, one row per output used.
  const remote = new Map<string, string>(); // data source name -> remote stack name
  for (const [name] of Object.entries(doc.data?.terraform_remote_state ?? {})) {
    remote.set(name, name.replace(/^cross-stack-reference-input-/, ""));
  }
  const remoteRow = (dataName: string, output: string): { box: string; row: string } => {
    const stack = remote.get(dataName) ?? dataName;
    const box = boxFor(`r_${stack}`, stack, "outputs read through terraform_remote_state", "inputs");
    const key = `out:${output}`;
    return { box: box.id, row: box.rows.has(key) ? key : addRow(box, key, remoteOutputLabel(input.otherStacks?.[stack], output), false, OTHER_COLOUR) };
  };

  const edges = new Map<string, DiagramEdge>();
  const addEdges = (from: { box: string; row: string }, body: unknown) => {
    const found: { text: string; style: EdgeStyle }[] = [];
    referencesIn(body, "reference", found);
    for (const { text, style } of found) {
      for (const m of text.matchAll(ADDRESS)) {
        const [, data, type, name, output] = m;
        let to: { box: string; row: string } | undefined;
        if (data && type === "terraform_remote_state" && remote.has(name) && output) to = remoteRow(name, output);
        else if (!data && type === "var") to = rowOf.get(`var.${name}`);
        else to = rowOf.get(`${data ?? ""}${type}.${name}`);
        if (!to || to.box === from.box) continue;
        const key = `${from.box}|${from.row}|${to.box}|${to.row}`;
        const existing = edges.get(key);
        // A reference and an ordering between the same rows: the reference says more.
        if (!existing || (existing.style === "order" && style === "reference")) edges.set(key, { from, to, style });
      }
    }
  };
  for (const [prefix, , byType] of blocks) {
    for (const [type, byName] of Object.entries(byType ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        const from = rowOf.get(`${prefix}${type}.${name}`);
        if (from) addEdges(from, body);
      }
    }
  }

  // Provider configurations that refer to something (hosts and credentials from other resources or stacks).
  for (const [type, configs] of Object.entries(doc.provider ?? {})) {
    for (const config of configs) {
      const found: { text: string; style: EdgeStyle }[] = [];
      referencesIn(config, "reference", found);
      if (found.length === 0) continue;
      const box = boxFor("p_providers", "providers", "settings read from other values", "inputs");
      const alias = typeof config.alias === "string" ? ` (alias ${config.alias})` : "";
      const from = { box: box.id, row: addRow(box, `provider:${type}${alias}`, `provider ${type}${alias}`, false, PROVIDER_COLOURS[type] ?? OTHER_COLOUR) };
      addEdges(from, config);
    }
  }

  const edgeKey = (e: DiagramEdge) => `${e.from.box}|${e.from.row}|${e.to.box}|${e.to.row}`;
  return {
    boxes: [...boxes.values()]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((b) => ({ ...b, rows: [...b.rows.values()].sort((x, y) => x.key.localeCompare(y.key)) })),
    edges: [...edges.values()].sort((a, b) => edgeKey(a).localeCompare(edgeKey(b))),
  };
}

/**
 * Label of an output of another stack: `<construct path>: <type>.<attribute>` of the resource it exposes
 * when that stack's JSON is known (`credentials/automation: service_principal.application_id`), else the output name
 * without cdktf's `cross-stack-output-` prefix.
 */
function remoteOutputLabel(other: TfDocument | undefined, output: string): string {
  const plain = output.replace(/^cross-stack-output-/, "");
  if (!other) return plain;
  for (const [name, body] of Object.entries(other.output ?? {})) {
    // cdktf drops the dots of the source output's name in the remote state reference.
    if (name.replace(/\./g, "") !== output) continue;
    const m = /^\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_.]+)\}$/.exec(String(body.value ?? ""));
    if (!m) return plain;
    const [, data, type, resourceName, attribute] = m;
    const target = (data ? other.data : other.resource)?.[type]?.[resourceName];
    const p = (target?.["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path?.split("/") ?? [];
    const construct = p.slice(1).join("/");
    return `${construct ? `${construct}: ` : ""}${shortType(type)}.${attribute}`;
  }
  return plain;
}

// Every label that must fit a box or a cluster is monospace, whose width Graphviz knows exactly
// (0.6 em per character in any monospace font), so no viewer's font substitution makes it overflow;
// resource types and construct ids are code anyway. Only the big title is proportional.
const MONO = "Courier";

/** The graph's heading: the title, then the legend in one row. */
function heading(title: string): string {
  const cell = (bg: string, text: string) => `<TD BGCOLOR="${bg}" BORDER="1" COLOR="#7f8c8d"><FONT FACE="${MONO}">${text}</FONT></TD>`;
  const legend = [
    cell(PROVIDER_COLOURS.aws, "AWS resource type ×count"),
    cell(PROVIDER_COLOURS.databricks, "Databricks resource type"),
    cell(PROVIDER_COLOURS.time, "time resource type"),
    cell(OTHER_COLOUR, "<I>data.source_type</I>"),
    cell(OTHER_COLOUR, "A → B: A refers to B"),
    cell(OTHER_COLOUR, "dashed: depends_on, lifecycle"),
    cell(OTHER_COLOUR, "references inside one box are not drawn"),
  ];
  return `<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="3"><TR><TD COLSPAN="${legend.length}" ALIGN="LEFT"><FONT POINT-SIZE="20">${html(title)}</FONT></TD></TR><TR>${legend.join("")}</TR></TABLE>`;
}

function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function dotId(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The DOT text of the diagram (left to right, clusters per category, HTML-table boxes with a port per row). */
export function diagramDot(input: DiagramInput, title: string): string {
  const model = diagramModel(input);
  const titles = input.categoryTitles ?? CATEGORY_TITLES;
  const font = "Helvetica";
  const rankdir = input.rankdir ?? "LR";
  const lines: string[] = [
    `digraph ${dotId(input.stackName)} {`,
    `  graph [rankdir=${rankdir}, fontname=${dotId(font)}, fontsize=12, labelloc=t, labeljust=l, label=<${heading(title)}>, nodesep=0.25, ranksep=0.9, splines=true, bgcolor="white", pad=0.3];`,
    `  node [shape=plain, fontname=${dotId(font)}, fontsize=10];`,
    `  edge [color="#4a4a4a", arrowsize=0.7, penwidth=1.1];`,
  ];
  const categories = [...new Set(model.boxes.map((b) => b.category))].sort();
  categories.forEach((category, i) => {
    lines.push(`  subgraph ${dotId(`cluster_${i}_${category}`)} {`);
    lines.push(`    graph [label=${dotId(titles[category] ?? category)}, fontname=${dotId(MONO)}, fontsize=13, style="rounded,filled", fillcolor="#f6f7f9", color="#9aa3ad", margin=12];`);
    for (const box of model.boxes.filter((b) => b.category === category)) {
      const cells = box.rows.map((d, r) => {
        const text = `${html(d.label)}${d.count > 1 ? ` ×${d.count}` : ""}`;
        return `<TR><TD PORT="r${r}" ALIGN="LEFT" BGCOLOR="${d.colour}"><FONT FACE="${MONO}">${d.italic ? `<I>${text}</I>` : text}</FONT></TD></TR>`;
      });
      const header = `<TR><TD BGCOLOR="#34495e" ALIGN="LEFT"><FONT COLOR="white" POINT-SIZE="12" FACE="${MONO}"><B>${html(box.title)}</B></FONT>${box.subtitle ? `<BR ALIGN="LEFT"/><FONT COLOR="#d6dde4" POINT-SIZE="9" FACE="${MONO}">${html(box.subtitle)}</FONT><BR ALIGN="LEFT"/>` : ""}</TD></TR>`;
      lines.push(`    ${dotId(box.id)} [label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="#7f8c8d">${header}${cells.join("")}</TABLE>>];`);
    }
    lines.push("  }");
  });
  const portOf = (end: { box: string; row: string }) => {
    const box = model.boxes.find((b) => b.id === end.box)!;
    return `${dotId(end.box)}:r${box.rows.findIndex((r) => r.key === end.row)}`;
  };
  for (const e of model.edges) {
    lines.push(`  ${portOf(e.from)} -> ${portOf(e.to)}${e.style === "order" ? ' [style=dashed, color="#8e8e8e"]' : ""};`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
