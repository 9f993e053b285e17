/**
 * The workspace's consumers: other systems of the team that read through a SQL warehouse or run as
 * extractor jobs. Provisioning creates their account-level service principals ({@link ConsumerPrincipals})
 * and the KMS key of their secrets ({@link ConsumerSecretsKey}); management gives them grants, warehouse
 * access, rotating credentials in AWS Secrets Manager and jobs ({@link WorkspaceConsumers}).
 */
export * from "./defaults";
export * from "./grants";
export * from "./jobs";
export * from "./principals";
export * from "./secrets-key";
export * from "./warehouse";
export * from "./workspace-consumers";
