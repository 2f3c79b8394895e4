/**
 * The WebSocket side's environment, read on first use by the functions that need it (the
 * authorizer; everything that notifies). Names are constants shared with infra/, like ENV in
 * shared/config.ts.
 */
export const WS_ENV = {
  /** The token issuer, as in the HTTP API's JWT authorizer (Cognito: https://cognito-idp.{region}.amazonaws.com/{poolId}). */
  jwtIssuer: 'JWT_ISSUER',
  /** The accepted audience(s), comma-separated (Cognito: the app client id). */
  jwtAudience: 'JWT_AUDIENCE',
  /** Optional: where the signing keys are fetched instead of `${JWT_ISSUER}/.well-known/jwks.json`. */
  jwtJwksUrl: 'JWT_JWKS_URL',
  /** In AWS: https://{apiId}.execute-api.{region}.amazonaws.com/{stage}, the management API of the WebSocket API. */
  websocketManagementUrl: 'WEBSOCKET_MANAGEMENT_URL',
  /** The SDK's own standard variable for this service's endpoint (the local stack sets it). */
  apiGatewayManagementEndpoint: 'AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI',
} as const;

export interface JwtSettings {
  issuer: string;
  /** Any of these, like the HTTP API's JWT authorizer. */
  audience: string[];
  /** Where the signing keys are fetched. */
  jwksUrl: string;
}

const isHttpUrl = (raw: string): boolean => URL.canParse(raw) && /^https?:$/.test(new URL(raw).protocol);

/** The WebSocket authorizer's settings: the same issuer and audience as the HTTP API's JWT authorizer. */
export const jwtSettings = (): JwtSettings => {
  const issuer = process.env[WS_ENV.jwtIssuer]?.trim() ?? '';
  const audience = (process.env[WS_ENV.jwtAudience] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (!issuer) throw new Error(`Invalid environment: ${WS_ENV.jwtIssuer} must be the token issuer`);
  if (audience.length === 0) throw new Error(`Invalid environment: ${WS_ENV.jwtAudience} must name the accepted audience(s)`);
  const jwksUrl = process.env[WS_ENV.jwtJwksUrl]?.trim() || `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
  if (!isHttpUrl(jwksUrl)) throw new Error(`Invalid environment: the key set URL ${jwksUrl} (${WS_ENV.jwtJwksUrl}, else from ${WS_ENV.jwtIssuer}) must be http(s)`);
  return { issuer, audience, jwksUrl };
};

/**
 * Where pushes to WebSocket clients go (API Gateway's management API): the SDK's own
 * AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI when set (the local stack), else
 * WEBSOCKET_MANAGEMENT_URL (AWS). Undefined: no WebSocket API, notifications stay in the inbox.
 */
export const websocketManagementEndpoint = (): string | undefined => {
  const raw = (process.env[WS_ENV.apiGatewayManagementEndpoint] || process.env[WS_ENV.websocketManagementUrl] || '').trim();
  if (!raw) return undefined;
  if (!isHttpUrl(raw)) throw new Error(`Invalid environment: the WebSocket management endpoint ${raw} must be an http(s) URL`);
  return raw.replace(/\/+$/, '');
};
