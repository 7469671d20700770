import manifestJson from "../../functions/functions.json";
import type { EdgeEnv } from "./env";
import { parseManifest } from "./manifest";
import { handleRequest } from "./router";
import { RouteTable } from "./routes";

/**
 * mise's single public origin. The route table is built from functions/functions.json, which
 * the bundler inlines: the manifest stays the only place a route is written.
 */
const routes = RouteTable.fromManifest(parseManifest(manifestJson));

export default {
  fetch(request, env, ctx) {
    return handleRequest(request, env, ctx, routes);
  },
} satisfies ExportedHandler<EdgeEnv>;
