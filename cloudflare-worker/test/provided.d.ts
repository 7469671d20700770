// What test/node/global-setup.ts hands to the tests (vitest provide/inject).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the stand-ins (functions, token endpoint, asset origins). */
    standIn: string;
    /** A loopback base URL where nothing listens. */
    deadBase: string;
    /** A function that answers uploads before reading them all, then closes. */
    earlyBase: string;
    /** A service-account key whose public half the stand-in token endpoint checks. */
    serviceAccountKeyJson: string;
  }
}
