import type { neonConfig as NeonConfig } from "@neondatabase/serverless";

/**
 * Points the Neon driver at a local WebSocket→TCP bridge instead of Neon's proxy. Only
 * called when a bridge is configured (local dev and tests), so production keeps the
 * driver's defaults. Pipelining is off: it sends the password before the server asks,
 * which a local server with trust auth rejects ("invalid frontend message type 112").
 */
export function configureNeonForBridge(config: typeof NeonConfig, bridge: string): void {
  config.wsProxy = (host, port) => `${bridge}/v2?address=${host}:${port}`;
  config.useSecureWebSocket = false;
  config.pipelineTLS = false;
  config.pipelineConnect = false;
}
