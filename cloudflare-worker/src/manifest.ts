/**
 * The part of functions/functions.json the edge reads: which functions have public routes, who
 * may call them, their body limits and timeouts (dev-local.sh reads `local.port` itself). The manifest is the only place routes are
 * written; this module checks its shape so a broken entry fails the build's tests, not a request.
 */
export type Access = "public" | "user" | "api-key" | "internal";

export interface ManifestRoute {
  method: string;
  path: string;
  maxBodyBytes?: number;
}

export interface ManifestFunction {
  name: string;
  trigger: string;
  access: Access;
  routes: ManifestRoute[];
  timeout?: string;
}

export interface Manifest {
  defaults?: { timeout?: string };
  functions: ManifestFunction[];
}

const ACCESS: readonly string[] = ["public", "user", "api-key", "internal"];

export class ManifestError extends Error {}

export function parseManifest(json: unknown): Manifest {
  const root = asObject(json, "manifest");
  const functions = root["functions"];
  if (!Array.isArray(functions)) throw new ManifestError("manifest: functions must be an array");
  const defaults = root["defaults"] === undefined ? {} : asObject(root["defaults"], "defaults");
  return {
    defaults: { timeout: optionalString(defaults["timeout"], "defaults.timeout") },
    functions: functions.map((entry, i) => parseFunction(entry, `functions[${i}]`)),
  };
}

function parseFunction(json: unknown, where: string): ManifestFunction {
  const fn = asObject(json, where);
  const name = fn["name"];
  if (typeof name !== "string" || name === "") throw new ManifestError(`${where}.name missing`);
  const access = fn["access"];
  if (typeof access !== "string" || !ACCESS.includes(access)) {
    throw new ManifestError(`${where}.access must be one of ${ACCESS.join(", ")}`);
  }
  const trigger = fn["trigger"];
  if (typeof trigger !== "string") throw new ManifestError(`${where}.trigger missing`);
  const routes = fn["routes"] ?? [];
  if (!Array.isArray(routes)) throw new ManifestError(`${where}.routes must be an array`);
  return {
    name,
    trigger,
    access: access as Access,
    routes: routes.map((r, i) => parseRoute(r, `${where}.routes[${i}]`)),
    timeout: optionalString(fn["timeout"], `${where}.timeout`),
  };
}

function parseRoute(json: unknown, where: string): ManifestRoute {
  const route = asObject(json, where);
  const method = route["method"];
  const path = route["path"];
  const maxBodyBytes = route["maxBodyBytes"];
  if (typeof method !== "string") throw new ManifestError(`${where}.method missing`);
  if (typeof path !== "string") throw new ManifestError(`${where}.path missing`);
  if (
    maxBodyBytes !== undefined &&
    (typeof maxBodyBytes !== "number" || !Number.isInteger(maxBodyBytes) || maxBodyBytes < 0)
  ) {
    throw new ManifestError(`${where}.maxBodyBytes must be a non-negative integer`);
  }
  return { method, path, maxBodyBytes };
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ManifestError(`${where} must be an object`);
  }
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ManifestError(`${where} must be a string`);
  return value;
}

/** "10s", "1.5s", "300ms", "2m" -> milliseconds; the manifest's duration notation. */
export function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (m === null) throw new ManifestError(`not a duration: ${text}`);
  const n = Number(m[1]);
  return Math.round(m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000);
}
