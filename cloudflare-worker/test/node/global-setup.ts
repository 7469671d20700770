import type { TestProject } from "vitest/node";
import { startStandIns } from "./stand-ins.ts";

/** Starts the stand-ins once per run and hands their addresses to the tests in workerd. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const standIns = await startStandIns();
  project.provide("standIn", standIns.base);
  project.provide("deadBase", standIns.deadBase);
  project.provide("earlyBase", standIns.earlyBase);
  project.provide("serviceAccountKeyJson", standIns.serviceAccountKeyJson);
  return () => standIns.close();
}
