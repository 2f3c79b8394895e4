/** What `startLocalStack()` takes and gives back. */
import type { DynamoDBRecord } from 'aws-lambda';
import type { SeedResult } from '../seed';

export interface LocalStackOptions {
  /** Default: env PORT, else 3000. 0 picks a free port. */
  port?: number;
  /** Default: env HOST, else 127.0.0.1. */
  host?: string;
  /** Default: env LOCAL_DATA_DIR, else <project>/.local. */
  dataDir?: string;
  /** Default: env TABLE_NAME, else mentorship-local. */
  tableName?: string;
  /** Default: env DYNAMODB_PORT, else a free port. */
  dynamoPort?: number;
  /** Default: true. */
  seed?: boolean;
  /** Default: env SFN_PORT, else 4584. 0 picks a free port. */
  sfnPort?: number;
  /** The local EventBridge Scheduler's. Default: env SCHEDULER_PORT, else 4585. 0 picks a free port. */
  schedulerPort?: number;
  /** Default: env PAYSTACK_PORT, else 3002. 0 picks a free port. */
  paystackPort?: number;
  /** Default: env WS_PORT, else 3001. 0 picks a free port. */
  wsPort?: number;
  /** Default: env ZOOM_PORT, else 3003. 0 picks a free port. */
  zoomPort?: number;
  /** The OpenID provider's. Default: env OIDC_PORT, else 3005. 0 picks a free port. */
  oidcPort?: number;
  /**
   * Where the web app runs, served or not: its origins are the provider's redirect URIs and the
   * API's CORS origins, and the local FRONTEND_URL (where Paystack returns the browser).
   * Default: env WEB_PORT, else 5173. 0 picks a free port.
   */
  webPort?: number;
  /** Serve the web client (web/) on webPort. Default: false; `npm start` serves it. */
  web?: boolean;
  /** The mail catcher (the local SES endpoint). Default: env MAIL_PORT, else 3004. 0 picks a free port. */
  mailPort?: number;
  /** Request log; `false` silences it. */
  log?: ((line: string) => void) | false;
  /** Only stream records passing this reach the stream consumers (default: all). */
  streamRecords?: (record: DynamoDBRecord) => boolean;
  /**
   * Wraps every in-process function besides the HTTP routes (those are seen over HTTP):
   * workflow steps, stream consumers, the WebSocket authorizer and routes. The bench's cost
   * phase counts and times each invocation with it. Default: none.
   */
  wrapFunction?: FunctionWrapper;
  /**
   * DynamoDB Local died while the stack ran (not stopped by `stop()`): that is written to
   * stderr at once, the rest of the stack is stopped (without its table it would only answer
   * errors), then this is called; `npm start` exits non-zero.
   */
  onDynamoExit?: (error: Error) => void;
}

export type FunctionKind = 'step' | 'stream' | 'ws' | 'schedule';
export type FunctionWrapper = <F extends (...args: never[]) => unknown>(kind: FunctionKind, name: string, fn: F) => F;

export interface LocalStack {
  url: string;
  /** The web client, when served. */
  webUrl: string | null;
  port: number;
  host: string;
  dataDir: string;
  dynamoEndpoint: string;
  sfnEndpoint: string;
  /** The local EventBridge Scheduler (AWS_ENDPOINT_URL_SCHEDULER; GET /_local/schedules lists them). */
  schedulerEndpoint: string;
  /** The local Paystack emulator, or null when real Paystack keys are configured. */
  paystackEmulator: string | null;
  /** The WebSocket API (connect with ?token=<JWT>). */
  wsUrl: string;
  /** The local Zoom emulator, or null when real Zoom credentials are configured. */
  zoomEmulator: string | null;
  /** The OpenID provider's issuer (http://localhost:<OIDC_PORT>): discovery at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  /** The web app's OAuth client id: the `aud` of every local token. */
  clientId: string;
  /** The web app's origins the provider redirects to. */
  webOrigins: string[];
  /** The mail catcher: every email the stack sends (GET / for a page, GET /messages for JSON). */
  mailCatcher: string;
  timeScale: number;
  tableName: string;
  seed?: SeedResult;
  /**
   * Stops everything, DynamoDB Local last, within about STOP_BUDGET_MS whatever is still in
   * flight: a part that does not stop within its share is left behind (and reported on stderr)
   * so that the next one, and DynamoDB Local, still stop. Never rejects.
   */
  stop: () => Promise<void>;
}
