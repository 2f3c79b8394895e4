/**
 * Holds an API answer to the OpenAPI document (docs/openapi.json): the operation is found by
 * method and path (a template of the document that matches the path, literal segments before
 * parameters), its status must be one the operation lists, and its body must match that
 * response's schema (ajv, JSON Schema 2020-12). Every call of the end-to-end tests goes through
 * it (local-stack.ts), and every handler call of the integration tests (http.ts): the document
 * cannot drift from what the code answers.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { OPENAPI_FILE, type OpenApiDocument } from '../../infra/openapi';

const ROOT = resolve(process.cwd());
const DOC_ID = 'https://mentorship.local/openapi.json';

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema: unknown }>;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export interface Answer {
  method: string;
  /** The request's path (a concrete one: /sessions/01J…), or the document's template. */
  path: string;
  status: number;
  /** The raw body; '' or undefined when there was none. */
  body: string | undefined;
  /** The answer's Content-Type, when known. */
  contentType?: string;
}

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

export const contractOf = (doc: OpenApiDocument) => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(doc, DOC_ID);
  const templates = Object.keys(doc.paths)
    .map((template) => {
      const segments = template.split('/');
      const isParam = (s: string) => /^\{[^}]+\}$/.test(s);
      const regex = new RegExp(`^${segments.map((s) => (isParam(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
      return { template, regex, params: segments.filter(isParam).length };
    })
    .sort((a, b) => a.params - b.params);
  const responses = (doc.components as { responses?: Record<string, ResponseObject> } | undefined)?.responses ?? {};
  const validators = new Map<string, ValidateFunction>();
  const validator = (ref: string) => {
    let v = validators.get(ref);
    if (!v) validators.set(ref, (v = ajv.compile({ $ref: `${DOC_ID}#${ref}` })));
    return v;
  };

  /** The document's template for a path, or undefined when no operation of the method matches it. */
  const templateOf = (method: string, path: string): string | undefined => {
    const m = method.toLowerCase();
    if (doc.paths[path]?.[m]) return path;
    return templates.find((t) => t.regex.test(path) && doc.paths[t.template]?.[m])?.template;
  };

  /** What is wrong with an answer; [] when the document describes it. */
  const problems = (a: Answer): string[] => {
    const m = a.method.toLowerCase();
    const template = templateOf(a.method, a.path.split('?')[0]!);
    if (!template) return [`no operation ${a.method.toUpperCase()} ${a.path} in ${OPENAPI_FILE}`];
    const op = doc.paths[template]![m]!;
    const listed = op.responses[String(a.status)] as ResponseObject | undefined;
    if (!listed) return [`${a.status} is not an answer of ${a.method.toUpperCase()} ${template} (it lists ${Object.keys(op.responses).join(', ')})`];
    const at = listed.$ref ? listed.$ref.slice(1) : `/${pointer('paths', template, m, 'responses', String(a.status))}`;
    const response: ResponseObject = listed.$ref ? (responses[listed.$ref.split('/').pop()!] ?? {}) : listed;
    const empty = a.body === undefined || a.body === '';
    // A file (text/calendar…): the answer's content type must be the one documented, with a body.
    const media = Object.keys(response.content ?? {}).find((t) => t !== 'application/json');
    if (media && !response.content?.['application/json']) {
      if (a.contentType !== undefined && a.contentType.split(';')[0]!.trim() !== media) return [`${a.status} of ${template} is sent as ${a.contentType}, documented as ${media}`];
      return empty ? [`${a.status} of ${template} has no body, but the document describes one`] : [];
    }
    if (!response.content?.['application/json']) return empty ? [] : [`${a.status} of ${template} has no body in the document, but one was sent`];
    if (empty) return [`${a.status} of ${template} has no body, but the document describes one`];
    let json: unknown;
    try {
      json = JSON.parse(a.body!);
    } catch {
      return [`${a.status} of ${template}: the body is not JSON: ${a.body!.slice(0, 200)}`];
    }
    const validate = validator(`${at}/content/${pointer('application/json')}/schema`);
    if (validate(json)) return [];
    return (validate.errors ?? []).map((e) => `${a.status} of ${a.method.toUpperCase()} ${template}: body${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  };

  /** Throws a ContractViolation naming every problem, with the body, when the document does not describe the answer. */
  const assertDescribed = (a: Answer): void => {
    const found = problems(a);
    if (found.length) throw new ContractViolation(`The answer does not match ${OPENAPI_FILE}:\n  ${found.join('\n  ')}\nbody: ${(a.body ?? '').slice(0, 2000)}`);
  };

  return { templateOf, problems, assertDescribed };
};

export type Contract = ReturnType<typeof contractOf>;

let current: Contract | undefined;
/** The contract of docs/openapi.json as it is on disk (infra/openapi.test.ts holds it to the code). */
export const documentContract = (): Contract => (current ??= contractOf(JSON.parse(readFileSync(join(ROOT, OPENAPI_FILE), 'utf8')) as OpenApiDocument));
