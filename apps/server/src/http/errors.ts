/**
 * One shape for every refusal the HTTP API gives: a status and
 * `{"error":{"code":"kebab-code","message":"A plain sentence."}}`. Schema failures, bodies that are
 * not JSON or too large, unknown routes and unexpected failures all take this shape, so the web
 * app has one way to show what went wrong.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** A refusal to send as it is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The body of every error answer. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Whether a path is the API's, which always answers JSON. */
export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** Installs the error and not-found handlers (the not-found one for the API only; see web-app.ts). */
export function installErrorHandler(
  app: FastifyInstance,
  report: (error: unknown, where: string) => void,
): void {
  app.setErrorHandler((error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError) {
      void reply.code(error.status).headers(error.headers).send(errorBody(error.code, error.message));
      return;
    }
    if (error.validation) {
      void reply.code(400).send(errorBody('invalid', validationMessage(error)));
      return;
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      void reply.code(413).send(errorBody('too-large', 'The request body is too large.'));
      return;
    }
    if (status === 415) {
      void reply
        .code(415)
        .send(errorBody('unsupported-media-type', 'Send the request body as application/json.'));
      return;
    }
    if (status >= 400 && status < 500) {
      void reply
        .code(status)
        .send(errorBody('malformed', sentence(error.message || 'The request is malformed.')));
      return;
    }
    report(error, `${request.method} ${request.url}`);
    void reply.code(500).send(errorBody('internal', 'Something went wrong in the studio: please try again.'));
  });
}

const PARTS: Readonly<Record<string, string>> = {
  body: 'the body',
  querystring: 'the query',
  params: 'the address',
  headers: 'the headers',
};

/**
 * A schema failure as a sentence naming the field: "Password must NOT have more than 1024
 * characters.", "The body has a field it does not take: admin."
 */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  const part = PARTS[error.validationContext ?? 'body'] ?? 'the request';
  const field = (first?.instancePath ?? '').split('/').filter(Boolean).join('.');
  const subject = field === '' ? part : field;
  const params = (first?.params ?? {}) as Record<string, unknown>;
  if (first?.keyword === 'additionalProperties')
    return sentence(`${part} has a field it does not take: ${String(params.additionalProperty)}`);
  if (first?.keyword === 'required')
    return sentence(`${part} lacks the field ${String(params.missingProperty)}`);
  const message = (first?.message ?? 'is not valid').replace(
    /^must be (string|object|integer|number|boolean|array)$/,
    (_m, type: string) => `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`,
  );
  return sentence(`${subject} ${message}`);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
