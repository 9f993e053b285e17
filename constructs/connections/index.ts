export * from "./types";
export * from "./connection-types";
export * from "./validation";
export * from "./rules";
export * from "./options";
export * from "./unity-catalog-connection";
