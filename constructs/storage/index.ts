export * from "./encrypted-bucket";
export * from "./keys";
export * from "./defaults";
