/**
 * Package entry point: the constructs meant for reuse in other cdktf stacks.
 * Importing it loads no stack or config code.
 */
export * from "./constructs/connections";
