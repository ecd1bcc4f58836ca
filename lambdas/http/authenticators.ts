import type { APIGatewayProxyEvent } from 'aws-lambda';
import { AthosError } from '../domain/errors.js';
import { authenticateApiKey, type AuthenticateApiKeyPorts } from '../operations/authenticateApiKey.js';
import type { SessionClaims } from '../domain/callers.js';
import type { SessionTokenVerifier } from '../domain/ports.js';
import { bearerCredential } from './request.js';

/** The two auth schemes of the contract, as the chain's `authenticate` step. */

export const apiKeyAuthenticator = (ports: AuthenticateApiKeyPorts) => (event: APIGatewayProxyEvent) =>
  authenticateApiKey(ports, {
    apiKey: bearerCredential(event),
    // The address API Gateway saw the connection from; X-Forwarded-For is the caller's to forge.
    sourceIp: event.requestContext.identity.sourceIp,
  });

export const sessionTokenAuthenticator =
  (tokens: () => Promise<SessionTokenVerifier>) =>
  async (event: APIGatewayProxyEvent): Promise<SessionClaims> => {
    const token = bearerCredential(event);
    if (!token) throw new AthosError('INVALID_TOKEN', 'Invalid session token');
    return (await tokens()).verify(token);
  };
