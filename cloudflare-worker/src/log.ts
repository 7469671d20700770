/**
 * One JSON line per request on stdout (Workers Logs indexes the fields). Written when the
 * response body has been relayed completely, so `bytes` counts what reached the client.
 */
export class RequestLog {
  route: string | null = null;
  functionName: string | null = null;
  upstreamMs: number | null = null;
  /** Set when the body streams: resolves with the bytes relayed once the stream ends. */
  pendingBytes: Promise<number> | null = null;
  private readonly startedAt = Date.now();

  constructor(
    readonly requestId: string,
    readonly method: string,
    readonly path: string,
  ) {}

  write(status: number, bytes: number): void {
    const severity = status >= 500 ? "ERROR" : status >= 400 ? "WARNING" : "INFO";
    console.log(
      JSON.stringify({
        severity,
        message: "request",
        component: "edge",
        request_id: this.requestId,
        method: this.method,
        path: this.path,
        route: this.route,
        function: this.functionName,
        status,
        upstream_ms: this.upstreamMs,
        bytes,
        duration_ms: Date.now() - this.startedAt,
      }),
    );
  }
}
