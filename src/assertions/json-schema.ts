import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** A JSON schema compiled by ajv, or why ajv could not compile it. */
export type CompiledSchema = { ok: true; validate: ValidateFunction } | { ok: false; message: string };

type Draft = 'draft-07' | '2019-09' | '2020-12';

// Formats are not validated because ajv-formats is not installed: without
// it, ajv would reject every schema that uses `format`. Strict mode stays on,
// so an unknown keyword such as a misspelt `requird` fails compilation.
// addUsedSchema: false keeps a schema's $id out of the instance, so two
// monitors may use the same $id.
const ajvOptions: Options = { logger: false, validateFormats: false, addUsedSchema: false };

// One ajv instance per draft, created on first use because each costs tens
// of milliseconds to set up.
const instances = new Map<Draft, Ajv | Ajv2019 | Ajv2020>();

/**
 * Compiles a JSON schema with ajv 8. A `$schema` that names draft 2020-12
 * or 2019-09 selects that draft, and any other schema is compiled as
 * draft-07. A `$schema` that names an older draft fails compilation with
 * ajv's message.
 */
export function compileJSONSchema(schema: Record<string, unknown>): CompiledSchema {
  // An asynchronous validator returns a promise, which the assertions cannot wait for.
  if (schema['$async'] === true) return { ok: false, message: 'invalid JSON schema: $async schemas are not supported' };

  const ajv = ajvFor(draftOf(schema));
  try {
    return { ok: true, validate: ajv.compile(schema) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `invalid JSON schema: ${reason}` };
  } finally {
    // The returned function keeps what it needs. Removing every schema but the
    // meta-schemas from the instance stops its cache from growing with every
    // reloaded manifest.
    ajv.removeSchema();
  }
}

/** Describes ajv's first error as `at /items/0/name: must be string`. */
export function describeSchemaError(error: ErrorObject): string {
  const location = error.instancePath === '' ? 'at the root' : `at ${error.instancePath}`;
  const message = error.message ?? `fails the ${error.keyword} keyword`;
  const extra = error.params['additionalProperty'];
  return typeof extra === 'string' ? `${location}: ${message} (${JSON.stringify(extra)})` : `${location}: ${message}`;
}

function draftOf(schema: Record<string, unknown>): Draft {
  const declared = schema['$schema'];
  if (typeof declared !== 'string') return 'draft-07';
  if (declared.includes('/draft/2020-12/')) return '2020-12';
  if (declared.includes('/draft/2019-09/')) return '2019-09';
  return 'draft-07';
}

function ajvFor(draft: Draft): Ajv | Ajv2019 | Ajv2020 {
  let ajv = instances.get(draft);
  if (ajv === undefined) {
    ajv = createAjv(draft);
    instances.set(draft, ajv);
  }
  return ajv;
}

function createAjv(draft: Draft): Ajv | Ajv2019 | Ajv2020 {
  switch (draft) {
    case '2020-12':
      return new Ajv2020(ajvOptions);
    case '2019-09':
      return new Ajv2019(ajvOptions);
    case 'draft-07':
      return new Ajv(ajvOptions);
  }
}
