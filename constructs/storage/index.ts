export * from "./encrypted-bucket";
export * from "./keys";
